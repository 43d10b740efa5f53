import {
  type OAuthProtectedResourceMetadata,
  OAuthProtectedResourceMetadataSchema,
} from "@modelcontextprotocol/sdk/shared/auth.js";
import { LATEST_PROTOCOL_VERSION } from "@modelcontextprotocol/sdk/types.js";
import { OperationError } from "../../core/errors.js";
import type { FetchLike } from "../../entra/trust.js";
import { jsonBody } from "../http.js";

export type PrmSource = "header" | "path-aware" | "root";

export interface PrmDiscovery {
  metadata: OAuthProtectedResourceMetadata;
  url: string;
  source: PrmSource;
  /** Every URL tried, with what it answered. */
  tried: string[];
}

/** The URLs to try, in the spec's order: the challenge's `resource_metadata`, path-aware, root. */
export function prmCandidates(serverUrl: string, headerUrl?: string): { url: string; source: PrmSource }[] {
  const server = new URL(serverUrl);
  const candidates: { url: string; source: PrmSource }[] = [];
  if (headerUrl) candidates.push({ url: headerUrl, source: "header" });
  const path = server.pathname.replace(/\/+$/, "");
  if (path) {
    candidates.push({
      url: `${server.origin}/.well-known/oauth-protected-resource${path}`,
      source: "path-aware",
    });
  }
  candidates.push({ url: `${server.origin}/.well-known/oauth-protected-resource`, source: "root" });
  return candidates;
}

/** RFC 9728 discovery: the first candidate that answers with a valid document wins. */
export async function discoverProtectedResource(
  serverUrl: string,
  headerUrl: string | undefined,
  fetchImpl: FetchLike,
): Promise<PrmDiscovery> {
  const tried: string[] = [];
  for (const { url, source } of prmCandidates(serverUrl, headerUrl)) {
    let response: Response;
    try {
      response = await fetchImpl(url, {
        headers: { Accept: "application/json", "MCP-Protocol-Version": LATEST_PROTOCOL_VERSION },
      });
    } catch (error) {
      tried.push(`${url} → ${(error as Error).message}`);
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      tried.push(`${url} → HTTP ${response.status}`);
      continue;
    }
    const parsed = OAuthProtectedResourceMetadataSchema.safeParse(await jsonBody(response));
    if (!parsed.success) {
      tried.push(`${url} → not a protected resource metadata document`);
      continue;
    }
    tried.push(`${url} → HTTP ${response.status}`);
    return { metadata: parsed.data, url, source, tried };
  }
  throw new OperationError(
    "PRM_NOT_FOUND",
    `No protected resource metadata found (tried ${tried.join("; ")}).`,
    {
      suggestion:
        "The server must publish RFC 9728 metadata at /.well-known/oauth-protected-resource<path> and name it in resource_metadata of its 401 challenge.",
    },
  );
}

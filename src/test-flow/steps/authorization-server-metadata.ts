import { buildDiscoveryUrls } from "@modelcontextprotocol/sdk/client/auth.js";
import {
  type AuthorizationServerMetadata,
  OAuthMetadataSchema,
  OpenIdProviderDiscoveryMetadataSchema,
} from "@modelcontextprotocol/sdk/shared/auth.js";
import { LATEST_PROTOCOL_VERSION } from "@modelcontextprotocol/sdk/types.js";
import { OperationError } from "../../core/errors.js";
import type { FetchLike } from "../../entra/trust.js";
import { jsonBody } from "../http.js";

export interface AsDiscovery {
  metadata: AuthorizationServerMetadata;
  url: string;
  document: "oauth-authorization-server" | "openid-configuration";
  tried: string[];
  /** The document's `issuer` equals the issuer its URL was built from (required from revision 2026-07-28). */
  issuerMatches: boolean;
}

/**
 * Authorization server metadata in the spec's order. The SDK's `buildDiscoveryUrls` yields exactly the
 * order of MCP 2025-11-25 (with a path: oauth-authorization-server/<path>, openid-configuration/<path>,
 * <path>/.well-known/openid-configuration; without: oauth-authorization-server, openid-configuration);
 * the fetching is ours so that every URL tried is evidence and the issuer is checked.
 */
export async function discoverAuthorizationServer(
  issuer: string,
  fetchImpl: FetchLike,
): Promise<AsDiscovery> {
  const tried: string[] = [];
  for (const { url, type } of buildDiscoveryUrls(issuer)) {
    let response: Response;
    try {
      response = await fetchImpl(url, {
        headers: { Accept: "application/json", "MCP-Protocol-Version": LATEST_PROTOCOL_VERSION },
      });
    } catch (error) {
      tried.push(`${url.href} → ${(error as Error).message}`);
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      tried.push(`${url.href} → HTTP ${response.status}`);
      continue;
    }
    const schema = type === "oauth" ? OAuthMetadataSchema : OpenIdProviderDiscoveryMetadataSchema;
    const parsed = schema.safeParse(await jsonBody(response));
    if (!parsed.success) {
      const fields = parsed.error.issues.map((issue) => issue.path.join(".") || "document").join(", ");
      tried.push(`${url.href} → invalid metadata (${fields})`);
      continue;
    }
    tried.push(`${url.href} → HTTP ${response.status}`);
    return {
      metadata: parsed.data as AuthorizationServerMetadata,
      url: url.href,
      document: type === "oauth" ? "oauth-authorization-server" : "openid-configuration",
      tried,
      issuerMatches: sameIssuer(parsed.data.issuer, issuer),
    };
  }
  throw new OperationError(
    "AS_METADATA_NOT_FOUND",
    `No authorization server metadata for ${issuer} (tried ${tried.join("; ")}).`,
    {
      suggestion:
        "Check authorization_servers in the protected resource metadata: it must be the issuer, e.g. https://login.microsoftonline.com/<tenant-id>/v2.0.",
    },
  );
}

function sameIssuer(a: string, b: string): boolean {
  return a.replace(/\/+$/, "") === b.replace(/\/+$/, "");
}

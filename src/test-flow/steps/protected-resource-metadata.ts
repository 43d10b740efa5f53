import type { OAuthProtectedResourceMetadata } from "@modelcontextprotocol/client";
import { McpEntraError, OperationError } from "../../core/errors.js";
import type { FetchLike } from "../../entra/trust.js";
import type { FlowState } from "../flow-state.js";
import { insecureUrlProblem, recordingFetch } from "../http.js";
import { loadSdk } from "../mcp-client/sdk.js";
import { canonicalResourceUrl } from "../resource-url.js";

export type PrmSource = "header" | "path-aware" | "root";

export interface PrmDiscovery {
  metadata: OAuthProtectedResourceMetadata;
  url: string;
  source: PrmSource;
  /** Every URL tried, with what it answered. */
  tried: string[];
}

/**
 * RFC 9728 discovery through the SDK (the challenge's `resource_metadata` when there is one, else the
 * path-aware then the root well-known URL), with every URL it tried kept as evidence.
 */
export async function discoverProtectedResource(
  serverUrl: string,
  headerUrl: string | undefined,
  fetchImpl: FetchLike,
): Promise<PrmDiscovery> {
  const { discoverOAuthProtectedResourceMetadata } = await loadSdk();
  const recorder = recordingFetch(fetchImpl);
  try {
    const metadata = await discoverOAuthProtectedResourceMetadata(
      serverUrl,
      { resourceMetadataUrl: headerUrl },
      recorder.fetch,
    );
    const url = recorder.tried.at(-1)?.split(" → ")[0] ?? "";
    return { metadata, url, source: sourceOf(url, headerUrl), tried: recorder.tried };
  } catch (error) {
    if (error instanceof McpEntraError) throw error;
    const answered = recorder.tried.at(-1)?.endsWith("HTTP 200");
    throw new OperationError(
      "PRM_NOT_FOUND",
      `No protected resource metadata found (tried ${recorder.tried.join("; ") || serverUrl}${
        answered ? ": not a protected resource metadata document" : ""
      }).`,
      {
        cause: error,
        suggestion: headerUrl
          ? "The 401 challenge names resource_metadata: that URL must serve the RFC 9728 document (clients do not look elsewhere then)."
          : "The server must publish RFC 9728 metadata at /.well-known/oauth-protected-resource<path> and name it in resource_metadata of its 401 challenge.",
      },
    );
  }
}

function sourceOf(url: string, headerUrl: string | undefined): PrmSource {
  if (headerUrl && url === new URL(headerUrl).href) return "header";
  return new URL(url).pathname === "/.well-known/oauth-protected-resource" ? "root" : "path-aware";
}

/** Whether a PRM `resource` names the server: its URL, or a same-origin parent (the SDK's rule). */
export async function resourceAllowed(serverUrl: string, resource: string): Promise<boolean> {
  const { checkResourceAllowed, resourceUrlFromServerUrl } = await loadSdk();
  return (
    URL.canParse(resource) &&
    checkResourceAllowed({
      requestedResource: resourceUrlFromServerUrl(serverUrl),
      configuredResource: resource,
    })
  );
}

/**
 * Step 2: the protected resource metadata. Its `resource` must be the server URL or a same-origin parent
 * of it (the SDK's `checkResourceAllowed`), and is what the client sends as the RFC 8707 `resource`.
 */
export async function prmStep(state: FlowState): Promise<void> {
  await state.report.run("protected-resource-metadata", async (step) => {
    const found = await discoverProtectedResource(
      state.options.serverUrl,
      state.auth.challenge?.resourceMetadata,
      state.fetch,
    );
    const metadata = found.metadata;
    step.evidence("url", found.url);
    step.evidence("found by", found.source);
    step.evidence("tried", found.tried);
    step.evidence("resource", metadata.resource);
    step.evidence("authorization_servers", metadata.authorization_servers ?? []);
    step.evidence("scopes_supported", metadata.scopes_supported ?? null);
    step.evidence("bearer_methods_supported", metadata.bearer_methods_supported ?? null);
    if (!(await resourceAllowed(state.options.serverUrl, metadata.resource))) {
      throw new OperationError(
        "PRM_RESOURCE_MISMATCH",
        `The protected resource metadata names resource ${metadata.resource}, which is neither the server (${state.resource}) nor a same-origin parent of it: a client must refuse it.`,
        {
          suggestion:
            "Publish PRM resource equal to the server's canonical URL (https, no trailing slash); on Entra make it the Application ID URI too.",
        },
      );
    }
    if (canonicalResourceUrl(metadata.resource) !== state.resource) {
      step.note(
        `The resource ${metadata.resource} is a same-origin parent of the server URL: accepted, and sent as the resource parameter as PRM gives it.`,
      );
    }
    const servers = metadata.authorization_servers ?? [];
    if (servers.length === 0) {
      throw new OperationError(
        "PRM_NO_AUTHORIZATION_SERVER",
        "The protected resource metadata lists no authorization_servers.",
      );
    }
    for (const server of servers) {
      const problem = insecureUrlProblem(server, "Authorization server");
      if (problem) throw new OperationError("INSECURE_AUTHORIZATION_SERVER", `${problem}.`);
    }
    if (metadata.bearer_methods_supported && !metadata.bearer_methods_supported.includes("header")) {
      step.note(
        'bearer_methods_supported does not list "header"; MCP sends tokens only in the Authorization header.',
      );
    }
    state.auth.prm = {
      metadata,
      resourceParameter: state.options.resource ? metadata.resource : undefined,
    };
    step.summary(`${metadata.resource} → ${servers[0]} (${found.source} URL)`);
  });
}

import type { AuthorizationServerMetadata } from "@modelcontextprotocol/client";
import { McpEntraError, OperationError } from "../../core/errors.js";
import type { FetchLike } from "../../entra/trust.js";
import { classifyAuthorizationServer, isEntraLike } from "../authorization-server-kind.js";
import type { FlowState } from "../flow-state.js";
import { insecureUrlProblem, recordingFetch } from "../http.js";
import { loadSdk } from "../mcp-client/sdk.js";
import { chooseSignInMethod } from "../sign-in/sign-in-method.js";
import { checkPkceSupport } from "./authorization.js";

export interface AsDiscovery {
  metadata: AuthorizationServerMetadata;
  url: string;
  document: "oauth-authorization-server" | "openid-configuration";
  tried: string[];
}

/**
 * Authorization server metadata through the SDK, in the spec's order (OAuth, then OpenID with path
 * insertion, then OpenID with the path appended), with every URL tried kept as evidence. The document's
 * `issuer` must be identical to the issuer the URL was built from: the SDK refuses any other (it
 * tolerates one trailing slash, which RFC 8414 §3.3 does not, so that is checked here too).
 */
export async function discoverAuthorizationServer(
  issuer: string,
  fetchImpl: FetchLike,
): Promise<AsDiscovery> {
  const sdk = await loadSdk();
  const recorder = recordingFetch(fetchImpl);
  let metadata: AuthorizationServerMetadata | undefined;
  try {
    metadata = await sdk.discoverAuthorizationServerMetadata(issuer, { fetchFn: recorder.fetch });
  } catch (error) {
    if (error instanceof sdk.IssuerMismatchError)
      throw issuerMismatch(issuer, error.received, recorder.tried);
    if (error instanceof McpEntraError) throw error;
    throw notFound(issuer, recorder.tried, error);
  }
  if (!metadata) throw notFound(issuer, recorder.tried);
  if (metadata.issuer !== issuer) throw issuerMismatch(issuer, metadata.issuer, recorder.tried);
  const url = recorder.tried.at(-1)?.split(" → ")[0] ?? "";
  const document = url.includes("/.well-known/oauth-authorization-server")
    ? "oauth-authorization-server"
    : "openid-configuration";
  return { metadata, url, document, tried: recorder.tried };
}

function notFound(issuer: string, tried: string[], cause?: unknown): OperationError {
  return new OperationError(
    "AS_METADATA_NOT_FOUND",
    `No authorization server metadata for ${issuer} (tried ${tried.join("; ")})${
      cause instanceof Error && !/^HTTP \d+/.test(cause.message) ? `: ${cause.message.slice(0, 200)}` : ""
    }.`,
    {
      cause,
      suggestion:
        "Check authorization_servers in the protected resource metadata: it must be the issuer, e.g. https://login.microsoftonline.com/<tenant-id>/v2.0.",
    },
  );
}

function issuerMismatch(expected: string, received: string | undefined, tried: string[]): OperationError {
  const template = received?.includes("{tenantid}");
  return new OperationError(
    "AS_ISSUER_MISMATCH",
    `The authorization server metadata (${tried.at(-1)?.split(" → ")[0] ?? expected}) names issuer ${JSON.stringify(received)}, not ${JSON.stringify(expected)}, the issuer it was looked up for: a client must not use it (RFC 8414 §3.3).${
      template
        ? " This is Entra's shape for the multi-tenant authorities (common, organizations): their metadata holds the {tenantid} template, not an issuer."
        : ""
    }`,
    {
      suggestion: template
        ? 'Name the tenant\'s own issuer in the protected resource metadata: authorization_servers ["https://login.microsoftonline.com/<tenant-id>/v2.0"].'
        : "Make authorization_servers in the protected resource metadata exactly the issuer the authorization server publishes (same scheme, host, port, path and trailing slash).",
    },
  );
}

/** Step 3: authorization server metadata, its kind, the sign-in method and the PKCE policy. */
export async function asStep(state: FlowState): Promise<void> {
  await state.report.run("authorization-server-metadata", async (step) => {
    const servers = state.auth.prm?.metadata.authorization_servers ?? [];
    const issuer = servers[0]!;
    if (servers.length > 1)
      step.note(`The metadata lists ${servers.length} authorization servers; using the first.`);
    // Which kind of server it is (the dev tenant answers /health) is asked alongside the metadata.
    const kind = classifyAuthorizationServer(issuer, state.fetch);
    kind.catch(() => undefined);
    const found = await discoverAuthorizationServer(issuer, state.fetch);
    const metadata = found.metadata;
    step.evidence("url", found.url);
    step.evidence("document", found.document);
    step.evidence("tried", found.tried);
    step.evidence("issuer", `${metadata.issuer} (identical to the issuer looked up)`);
    step.evidence("authorization_endpoint", metadata.authorization_endpoint);
    step.evidence("token_endpoint", metadata.token_endpoint);
    step.evidence("registration_endpoint", metadata.registration_endpoint ?? null);
    step.evidence("code_challenge_methods_supported", metadata.code_challenge_methods_supported ?? null);
    step.evidence(
      "authorization_response_iss_parameter_supported",
      metadata.authorization_response_iss_parameter_supported === true,
    );
    step.evidence(
      "client_id_metadata_document_supported",
      metadata.client_id_metadata_document_supported === true,
    );
    step.evidence(
      "token_endpoint_auth_methods_supported",
      metadata.token_endpoint_auth_methods_supported ?? null,
    );
    step.evidence("scopes_supported", metadata.scopes_supported ?? null);
    for (const endpoint of [
      metadata.authorization_endpoint,
      metadata.token_endpoint,
      metadata.registration_endpoint,
    ]) {
      const problem = endpoint && insecureUrlProblem(endpoint, "Endpoint");
      if (problem) throw new OperationError("INSECURE_AUTHORIZATION_SERVER", `${problem}.`);
    }
    const info = await kind;
    step.evidence("kind", info.kind);
    state.auth.as = { info, metadata };
    state.report.authorizationServer = { issuer, kind: info.kind };
    const choice = chooseSignInMethod(state.options, info.kind, state.deps.personPresent);
    state.auth.signIn = choice;
    state.report.signIn = { method: choice.method ?? "none", reason: choice.reason };
    if (choice.method === "browser" || choice.method === "headless") {
      const note = checkPkceSupport(metadata, {
        strict: state.options.strict,
        entra: isEntraLike(info.kind),
      });
      if (note) step.note(note);
    }
    const kindText = { entra: "Entra ID", "dev-tenant": "the dev tenant", oauth: "OAuth" }[info.kind];
    step.summary(`${kindText} authorization server ${issuer} (${found.document})`);
  });
}

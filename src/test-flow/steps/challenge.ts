import { McpEntraError, OperationError } from "../../core/errors.js";
import { classifyAuthorizationServer } from "../authorization-server-kind.js";
import type { FlowState } from "../flow-state.js";
import { insecureUrlProblem, isTlsTrustError, networkErrorMessage } from "../http.js";
import { initializeRequest } from "../probes/initialize-request.js";
import { sameResource } from "../resource-url.js";
import { chooseSignInMethod } from "../sign-in/sign-in-method.js";
import { bearerChallenge } from "../www-authenticate.js";
import { checkPkceSupport } from "./authorization.js";
import { discoverAuthorizationServer } from "./authorization-server-metadata.js";
import { discoverProtectedResource } from "./protected-resource-metadata.js";

/** Step 1: call the server without a token and read its 401 challenge. */
export async function challengeStep(state: FlowState): Promise<void> {
  await state.report.run("challenge", async (step) => {
    const url = state.options.serverUrl;
    step.evidence("request", `POST ${url} (initialize) without a token`);
    let response: Response;
    try {
      response = await state.fetch(url, initializeRequest(state.deps.clientVersion));
    } catch (error) {
      if (error instanceof McpEntraError) throw error;
      throw new OperationError("SERVER_UNREACHABLE", `Cannot reach ${url}: ${networkErrorMessage(error)}`, {
        suggestion: isTlsTrustError(error)
          ? "Trust the server's CA with --ca-file <pem> (the dev tenant's is in $MCP_ENTRA_HOME/dev-tenant/ca.pem)."
          : "Check that the server is running and the URL is right.",
      });
    }
    await response.body?.cancel();
    step.evidence("status", response.status);
    if (response.status === 401) {
      const challenge = bearerChallenge(response.headers);
      step.evidence("www-authenticate", response.headers.get("www-authenticate"));
      state.challenge = challenge;
      if (!challenge)
        step.note("The 401 has no Bearer challenge: discovery falls back to the well-known URLs.");
      else {
        step.evidence("resource_metadata", challenge.resourceMetadata ?? null);
        step.evidence("scope", challenge.scope ?? null);
        if (!challenge.resourceMetadata) {
          step.note("The challenge has no resource_metadata: discovery falls back to the well-known URLs.");
        }
      }
      const parts = [challenge?.resourceMetadata && "resource_metadata", challenge?.scope && "scope"].filter(
        Boolean,
      );
      step.summary(
        `401 with a ${challenge ? "Bearer " : ""}challenge${parts.length ? ` (${parts.join(", ")})` : ""}`,
      );
      return;
    }
    if (response.ok) {
      if (state.options.strict) {
        throw new OperationError(
          "NOT_PROTECTED",
          `${url} answered HTTP ${response.status} without a token (--strict).`,
        );
      }
      state.unprotected = true;
      step.note("The server answered without asking for a token: it is not protected.");
      step.summary(`HTTP ${response.status} without a token: the server is not protected`);
      return;
    }
    throw new OperationError(
      "UNEXPECTED_STATUS",
      `${url} answered HTTP ${response.status} to a request without a token; a protected MCP server answers 401 with a WWW-Authenticate challenge.`,
    );
  });
}

/** Step 2: RFC 9728 metadata; its resource must be this server. */
export async function prmStep(state: FlowState): Promise<void> {
  await state.report.run("protected-resource-metadata", async (step) => {
    const found = await discoverProtectedResource(
      state.options.serverUrl,
      state.challenge?.resourceMetadata,
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
    if (!sameResource(metadata.resource, state.resource)) {
      throw new OperationError(
        "PRM_RESOURCE_MISMATCH",
        `The protected resource metadata names resource ${metadata.resource}, but the server is ${state.resource}: a client must refuse it.`,
        {
          suggestion:
            "Publish PRM resource equal to the server's canonical URL (https, no trailing slash); on Entra make it the Application ID URI too.",
        },
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
    state.prm = metadata;
    step.summary(`${metadata.resource} → ${servers[0]} (${found.source} URL)`);
  });
}

/** Step 3: authorization server metadata, its kind, the sign-in method and the PKCE policy. */
export async function asStep(state: FlowState): Promise<void> {
  await state.report.run("authorization-server-metadata", async (step) => {
    const servers = state.prm?.authorization_servers ?? [];
    const issuer = servers[0]!;
    if (servers.length > 1)
      step.note(`The metadata lists ${servers.length} authorization servers; using the first.`);
    const found = await discoverAuthorizationServer(issuer, state.fetch);
    const metadata = found.metadata;
    step.evidence("url", found.url);
    step.evidence("document", found.document);
    step.evidence("tried", found.tried);
    step.evidence("issuer", metadata.issuer);
    step.evidence("authorization_endpoint", metadata.authorization_endpoint);
    step.evidence("token_endpoint", metadata.token_endpoint);
    step.evidence("registration_endpoint", metadata.registration_endpoint ?? null);
    step.evidence("code_challenge_methods_supported", metadata.code_challenge_methods_supported ?? null);
    step.evidence(
      "client_id_metadata_document_supported",
      metadata.client_id_metadata_document_supported ?? false,
    );
    step.evidence(
      "token_endpoint_auth_methods_supported",
      metadata.token_endpoint_auth_methods_supported ?? null,
    );
    if (!found.issuerMatches) {
      const problem = `The metadata's issuer ${metadata.issuer} differs from the issuer it was looked up for (${issuer}).`;
      if (state.options.strict) throw new OperationError("ISSUER_MISMATCH", `${problem} (--strict)`);
      step.note(problem);
    }
    for (const endpoint of [
      metadata.authorization_endpoint,
      metadata.token_endpoint,
      metadata.registration_endpoint,
    ]) {
      const problem = endpoint && insecureUrlProblem(endpoint, "Endpoint");
      if (problem) throw new OperationError("INSECURE_AUTHORIZATION_SERVER", `${problem}.`);
    }
    const info = await classifyAuthorizationServer(issuer, state.fetch);
    step.evidence("kind", info.kind);
    state.as = { info, metadata };
    state.report.authorizationServer = { issuer, kind: info.kind };
    const choice = chooseSignInMethod(state.options, info.kind, state.deps.personPresent);
    state.signIn = choice;
    state.report.signIn = { method: choice.method ?? "none", reason: choice.reason };
    if (choice.method === "browser" || choice.method === "headless") {
      const note = checkPkceSupport(metadata, state.options.strict);
      if (note) step.note(note);
    }
    const kindText = { entra: "Entra ID", "dev-tenant": "the dev tenant", oauth: "OAuth" }[info.kind];
    step.summary(`${kindText} authorization server ${issuer} (${found.document})`);
  });
}

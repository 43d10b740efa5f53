import { OperationError } from "../../core/errors.js";
import type { FlowState } from "../flow-state.js";
import type { ProbeStepId, StepContext } from "../report/report.js";
import { sameResource } from "../resource-url.js";
import { discoverProtectedResource } from "../steps/protected-resource-metadata.js";
import { summarizeAccessToken } from "../token-claims.js";
import { bearerChallenge } from "../www-authenticate.js";
import { initializeRequest } from "./initialize-request.js";
import { type ProbeTokenResult, ProbeTokens } from "./probe-tokens.js";
import { insufficientScopeProbe } from "./scope-probe.js";

/**
 * `test-flow --probe`: security checks against the server after the flow, one report step each. A
 * probe fails when the server accepts what it must refuse; a probe that cannot run here (no dev tenant
 * to mint its token, no tool to call) is skipped and says why. One probe's failure does not stop the rest.
 */
export async function runProbes(state: FlowState): Promise<void> {
  const { report } = state;
  report.skipUnrun();
  const unreachable = report.status("challenge") === "failed";
  const tokens = unreachable ? undefined : await ProbeTokens.open(state);
  const probes: [ProbeStepId, (step: StepContext) => Promise<void>][] = [
    ["probe-no-token", (step) => expectUnauthorized(state, step, undefined, { resourceMetadata: true })],
    ["probe-malformed-token", (step) => expectUnauthorized(state, step, "mcp-entra-probe.not-a-jwt")],
    ["probe-wrong-audience", (step) => withToken(step, tokens?.wrongAudience(), state)],
    ["probe-expired-token", (step) => withToken(step, tokens?.expired(), state)],
    ["probe-insufficient-scope", (step) => insufficientScopeProbe(state, step, tokens!)],
    ["probe-token-in-query", (step) => tokenInQuery(state, step)],
    ["probe-prm-resource", (step) => prmResource(state, step)],
  ];
  for (const [id, probe] of probes) {
    if (unreachable) {
      report.skip(id, "Not run: the server could not be reached (see the challenge step).");
      continue;
    }
    // Failures are recorded by `run`; the next probe runs all the same.
    await report.run(id, probe).catch(() => undefined);
  }
}

async function withToken(
  step: StepContext,
  pending: Promise<ProbeTokenResult> | undefined,
  state: FlowState,
): Promise<void> {
  const result = await pending;
  if (!result || "skip" in result) return step.skipped(result?.skip ?? "Not run.");
  step.evidence("token", summarizeAccessToken(result.token));
  step.evidence("obtained", result.how);
  await expectUnauthorized(state, step, result.token);
}

/** POSTs initialize with `token` (or none) and requires 401 (with resource_metadata when asked). */
async function expectUnauthorized(
  state: FlowState,
  step: StepContext,
  token: string | undefined,
  require: { resourceMetadata?: boolean } = {},
): Promise<void> {
  const url = state.options.serverUrl;
  step.evidence("request", `POST ${url} (initialize) ${token ? "with the token" : "without a token"}`);
  const response = await state.fetch(
    url,
    initializeRequest(state.deps.clientVersion, token ? { Authorization: `Bearer ${token}` } : {}),
  );
  await response.body?.cancel();
  const challenge = bearerChallenge(response.headers);
  step.evidence("status", response.status);
  step.evidence("www-authenticate", response.headers.get("www-authenticate"));
  if (response.status !== 401) {
    const accepted = response.status < 300;
    throw new OperationError(
      accepted ? "PROBE_TOKEN_ACCEPTED" : "PROBE_UNEXPECTED_STATUS",
      `The server answered HTTP ${response.status}${accepted ? ", accepting the request" : ""}; it must answer 401.`,
      {
        suggestion: token
          ? "Validate every token: signature (JWKS), iss, aud (the API's client id for v2 tokens), exp/nbf and tid; answer 401 when any check fails."
          : "Require a bearer token on every MCP request and answer 401 with a WWW-Authenticate challenge without one.",
      },
    );
  }
  if (require.resourceMetadata && !challenge?.resourceMetadata) {
    throw new OperationError(
      "PROBE_NO_RESOURCE_METADATA",
      "The 401 has no resource_metadata in its WWW-Authenticate header, so MCP clients cannot find the authorization server.",
      { suggestion: 'Answer with WWW-Authenticate: Bearer resource_metadata="<PRM URL>", scope="<scope>".' },
    );
  }
  if (token && challenge?.error !== "invalid_token") {
    step.note('The challenge has no error="invalid_token" (RFC 6750 §3.1 asks for it).');
  }
  step.summary(`401${challenge?.resourceMetadata ? " with resource_metadata" : ""}`);
}

async function tokenInQuery(state: FlowState, step: StepContext): Promise<void> {
  const token = state.accessToken;
  if (!token) return step.skipped("No valid token to put in the query: the flow did not get one.");
  const url = new URL(state.options.serverUrl);
  url.searchParams.set("access_token", token);
  step.evidence("request", `POST ${url.href} (initialize) with the flow's valid token, no Authorization`);
  const response = await state.fetch(url, initializeRequest(state.deps.clientVersion));
  await response.body?.cancel();
  step.evidence("status", response.status);
  if (response.status < 400) {
    throw new OperationError(
      "PROBE_QUERY_TOKEN_ACCEPTED",
      `The server accepted a token in the query string (HTTP ${response.status}); tokens in URLs end up in logs and caches.`,
      { suggestion: "Read the token only from the Authorization header (OAuth 2.1, MCP authorization)." },
    );
  }
  step.summary(`refused with HTTP ${response.status}`);
}

async function prmResource(state: FlowState, step: StepContext): Promise<void> {
  const found = await discoverProtectedResource(
    state.options.serverUrl,
    state.challenge?.resourceMetadata,
    state.fetch,
  );
  step.evidence("url", found.url);
  step.evidence("resource", found.metadata.resource);
  step.evidence("server", state.resource);
  if (!sameResource(found.metadata.resource, state.resource)) {
    throw new OperationError(
      "PRM_RESOURCE_MISMATCH",
      `The protected resource metadata names resource ${found.metadata.resource}, not the server ${state.resource}.`,
      {
        suggestion:
          "Publish PRM resource equal to the server's canonical URL (MCP_SERVER_URL in the scaffolds); on Entra make it the Application ID URI too (mcp-entra register --server-url <url>).",
      },
    );
  }
  step.summary(`resource ${found.metadata.resource} is the server`);
}

import { OperationError } from "../../core/errors.js";
import type { FlowState } from "../flow-state.js";
import type { ProbeStepId, StepContext } from "../report/report.js";
import { discoverProtectedResource, resourceAllowed } from "../steps/protected-resource-metadata.js";
import { summarizeAccessToken } from "../token-claims.js";
import { forgedTokens } from "./forged-tokens.js";
import { probeRequest } from "./probe-request.js";
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
  const forged = forgedTokens(state);
  const tokens = unreachable ? undefined : await ProbeTokens.open(state);
  const probes: [ProbeStepId, (step: StepContext) => Promise<void>][] = [
    ["probe-no-token", (step) => expectUnauthorized(state, step, undefined, { resourceMetadata: true })],
    ["probe-malformed-token", (step) => expectUnauthorized(state, step, "mcp-entra-probe.not-a-jwt")],
    ["probe-wrong-audience", (step) => withToken(step, tokens?.wrongAudience(), state)],
    ["probe-expired-token", (step) => withToken(step, tokens?.expired(), state)],
    ["probe-wrong-issuer", (step) => withToken(step, tokens?.wrongIssuer(), state)],
    ["probe-unpublished-key", (step) => withToken(step, forged.unpublishedKey(), state)],
    ["probe-alg-none", (step) => withToken(step, forged.algNone(), state)],
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

/** Sends the flow's requests with `token` (or none) and requires a 401 (with resource_metadata when asked). */
async function expectUnauthorized(
  state: FlowState,
  step: StepContext,
  token: string | undefined,
  require: { resourceMetadata?: boolean } = {},
): Promise<void> {
  const answer = await probeRequest(state, token);
  step.evidence("requests", answer.requests);
  const refused = answer.refused;
  step.evidence("status", refused?.status ?? "accepted");
  step.evidence("www-authenticate", refused?.challenge?.header ?? null);
  if (refused?.status !== 401) {
    throw new OperationError(
      refused ? "PROBE_UNEXPECTED_STATUS" : "PROBE_TOKEN_ACCEPTED",
      refused
        ? `The server answered HTTP ${refused.status}; it must answer 401.`
        : `The server answered every request ${token ? "with this token" : "without a token"}; it must answer 401.`,
      {
        suggestion: token
          ? "Validate every token: signature (JWKS, by kid, never alg none), iss, aud (the API's client id for v2 tokens), exp/nbf and tid; answer 401 when any check fails."
          : "Require a bearer token on every MCP request and answer 401 with a WWW-Authenticate challenge without one.",
      },
    );
  }
  const challenge = refused.challenge;
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
  const token = state.auth.tokens?.access_token;
  if (!token) return step.skipped("No valid token to put in the query: the flow did not get one.");
  const answer = await probeRequest(state, token, { inQuery: true });
  step.evidence(
    "requests",
    answer.requests.map((line) => `${line} (access_token in the query, no Authorization)`),
  );
  step.evidence("status", answer.refused?.status ?? "accepted");
  if (!answer.refused) {
    throw new OperationError(
      "PROBE_QUERY_TOKEN_ACCEPTED",
      "The server accepted a token in the query string; tokens in URLs end up in logs and caches.",
      { suggestion: "Read the token only from the Authorization header (OAuth 2.1, MCP authorization)." },
    );
  }
  step.summary(`refused with HTTP ${answer.refused.status}`);
}

async function prmResource(state: FlowState, step: StepContext): Promise<void> {
  const found = await discoverProtectedResource(
    state.options.serverUrl,
    state.auth.challenge?.resourceMetadata,
    state.fetch,
  );
  step.evidence("url", found.url);
  step.evidence("resource", found.metadata.resource);
  step.evidence("server", state.resource);
  if (!(await resourceAllowed(state.options.serverUrl, found.metadata.resource))) {
    throw new OperationError(
      "PRM_RESOURCE_MISMATCH",
      `The protected resource metadata names resource ${found.metadata.resource}, not the server ${state.resource} (nor a same-origin parent of it).`,
      {
        suggestion:
          "Publish PRM resource equal to the server's canonical URL (MCP_SERVER_URL in the scaffolds); on Entra make it the Application ID URI too (mcp-entra register --server-url <url>).",
      },
    );
  }
  step.summary(`resource ${found.metadata.resource} is the server`);
}

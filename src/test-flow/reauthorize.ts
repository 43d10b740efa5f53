import { OperationError } from "../core/errors.js";
import { isEntraLike } from "./authorization-server-kind.js";
import {
  type AuthorizationReason,
  type FlowState,
  MAX_AUTHORIZATION_ATTEMPTS,
  type McpOperation,
} from "./flow-state.js";
import { mcpFailure, type Refusal, refusalOf } from "./mcp-client/failures.js";
import type { StepContext } from "./report/report.js";
import { missingScopes, split } from "./sign-in/scope-selection.js";
import { signIn } from "./sign-in/sign-in.js";
import { asStep } from "./steps/authorization-server-metadata.js";
import { prmStep } from "./steps/protected-resource-metadata.js";
import { summarizeAccessToken } from "./token-claims.js";

/**
 * Authorization wherever the server asks: runs an MCP step; when the server refuses it (401: no token,
 * or one it does not accept; 403 insufficient_scope: not enough scope) the step ends as `retried`, the
 * discovery steps run the first time, a new authorization follows, and the step runs again, within
 * MAX_AUTHORIZATION_ATTEMPTS.
 */
export async function withAuthorization<T>(
  state: FlowState,
  id: McpOperation,
  body: (step: StepContext) => Promise<T>,
): Promise<T> {
  for (;;) {
    const outcome = await state.report.run(
      id,
      async (step): Promise<{ value: T } | { retry: AuthorizationReason }> => {
        const mark = state.wire.mark();
        try {
          return { value: await body(step) };
        } catch (error) {
          const refusal = await refusalOf(error, state.wire.since(mark));
          if (!refusal) throw await mcpFailure(error, state.options.serverUrl);
          step.evidence("status", refusal.status);
          step.evidence("www-authenticate", refusal.challenge?.header ?? null);
          const retry = reauthorization(state, id, refusal);
          step.retried(retriedSummary(retry));
          return { retry };
        }
      },
    );
    if ("value" in outcome) return outcome.value;
    await authorize(state, outcome.retry);
  }
}

/** A new authorization: discovery the first time the server asks (PRM, then AS metadata), then sign-in. */
export async function authorize(state: FlowState, reason: AuthorizationReason): Promise<void> {
  if (!state.auth.prm) {
    await prmStep(state);
    await asStep(state);
  }
  await signIn(state, reason);
}

function retriedSummary(reason: AuthorizationReason): string {
  if (reason.kind === "asked") return "401: the server asks for a token; discovery and sign-in follow";
  if (reason.kind === "rejected") return "401: the stored token was rejected; signing in again";
  return `403 insufficient_scope: re-authorizing for "${reason.challenge.scope ?? "more scope"}"`;
}

function reauthorization(state: FlowState, id: McpOperation, refusal: Refusal): AuthorizationReason {
  const { auth } = state;
  auth.challenge = refusal.challenge ?? auth.challenge;
  if (refusal.status === 401 && !auth.tokens) {
    auth.askedAt ??= id;
    return { kind: "asked" };
  }
  const method = auth.signIn?.method;
  const challenge = refusal.challenge;
  if (refusal.status === 403 && challenge?.error === "insufficient_scope") {
    const needed = challenge.scope ? ` "${challenge.scope}"` : " more scope";
    const appOnlyOnEntra = method === "client-credentials" && isEntraLike(auth.as!.info.kind);
    if (!method || method === "token-file" || appOnlyOnEntra) {
      throw new OperationError(
        "INSUFFICIENT_SCOPE",
        `The server needs${needed} (403 insufficient_scope), and ${method ? `--${method === "token-file" ? "token-file" : `auth ${method}`}` : "this run"} cannot ask for more.`,
        {
          suggestion: appOnlyOnEntra
            ? "Assign the app role the tool needs to the client's service principal (app-only tokens carry roles, not scopes)."
            : "Use a token that carries the scope the server asks for.",
        },
      );
    }
    if (auth.attempts >= MAX_AUTHORIZATION_ATTEMPTS) throw stepUpLimit(state, challenge.scope);
    return { kind: "step-up", challenge };
  }
  const storedToken = auth.tokenSource === "stored" || auth.tokenSource === "refreshed";
  const canSignIn = method && method !== "token-file";
  if (refusal.status === 401 && storedToken && canSignIn && auth.attempts < MAX_AUTHORIZATION_ATTEMPTS) {
    return { kind: "rejected" };
  }
  throw rejected(state, refusal);
}

/** The limit of authorization attempts, naming the scope the token still lacks. */
function stepUpLimit(state: FlowState, challenged: string | undefined): OperationError {
  const tokens = state.auth.tokens;
  const claims = tokens ? summarizeAccessToken(tokens.access_token) : undefined;
  const granted =
    tokens?.scope ??
    [claims?.scp, claims?.scope].flatMap((value) => (Array.isArray(value) ? value : [])).join(" ");
  const missing = missingScopes(granted, challenged);
  const quoted = (scopes: string[]) => scopes.map((scope) => `"${scope}"`).join(", ");
  const lacking =
    missing.length > 0
      ? `the token lacks ${quoted(missing)}`
      : challenged
        ? `the server still asks for ${quoted(split(challenged))}, which the token carries`
        : "the server's challenge names no scope";
  return new OperationError(
    "STEP_UP_LIMIT",
    `Still 403 insufficient_scope after ${state.auth.attempts} authorization attempts (the flow stops at ${MAX_AUTHORIZATION_ATTEMPTS}): ${lacking}.`,
    {
      suggestion:
        "The authorization server does not grant what the server asks for: check the scope names and the client's permissions/consent.",
    },
  );
}

function rejected(state: FlowState, refusal: Refusal): OperationError {
  const challenge = refusal.challenge;
  const why = challenge?.error
    ? `: ${challenge.error}${challenge.errorDescription ? ` (${challenge.errorDescription})` : ""}`
    : "";
  const token = state.auth.tokens?.access_token;
  const claims = token ? summarizeAccessToken(token) : undefined;
  const audience = claims?.aud ? ` The token's aud is ${claims.aud}, iss ${claims.iss ?? "?"}.` : "";
  if (refusal.status === 401) {
    return new OperationError(
      "TOKEN_REJECTED",
      `The server rejected the token with HTTP 401${why}.${audience}`,
      {
        suggestion:
          "Compare the token's claims with what the server validates (aud: on Entra v2 tokens it is the API's client id; iss; expiry; scopes or roles).",
      },
    );
  }
  return new OperationError("MCP_HTTP_ERROR", `The server answered HTTP ${refusal.status}${why}.`);
}

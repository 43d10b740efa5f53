import { McpEntraError, OperationError } from "../core/errors.js";
import { type FlowState, MAX_AUTHORIZATION_ATTEMPTS } from "./flow-state.js";
import { networkErrorMessage } from "./http.js";
import { httpStatusOf, McpSession } from "./mcp-client/mcp-session.js";
import type { StepContext, StepId } from "./report/report.js";
import { acquireToken, type TokenRequestReason } from "./sign-in/sign-in.js";
import {
  chooseTool,
  describeToolCall,
  recordInitialize,
  recordToolResult,
  recordToolsList,
} from "./steps/call.js";
import { summarizeAccessToken } from "./token-claims.js";
import type { BearerChallenge } from "./www-authenticate.js";

/** Steps 7–9: initialize, tools/list and tools/call, each re-authorized (step-up) when the server asks. */
export async function mcpSteps(state: FlowState): Promise<void> {
  const session = new McpSession({
    serverUrl: state.options.serverUrl,
    fetch: state.fetch,
    token: () => state.accessToken,
    signal: state.signal,
    timeoutMs: state.options.timeout * 1000,
    clientVersion: state.deps.clientVersion,
  });
  try {
    await withReauthorization(state, session, "initialize", async (step) => {
      recordInitialize(step, await session.connect());
    });
    const tools = await withReauthorization(state, session, "tools-list", async (step) => {
      const list = await session.listTools();
      recordToolsList(step, list);
      return list;
    });
    const choice = chooseTool(tools, state.options.tool, state.options.args);
    const missing = choice.missing;
    if (missing) {
      await state.report.run("tools-call", async () => {
        throw new OperationError("NO_SUCH_TOOL", missing);
      });
    }
    if (!choice.tool) {
      state.report.skip("tools-call", choice.reason);
      return;
    }
    const tool = choice.tool;
    state.tool = { name: tool.name, args: choice.args };
    await withReauthorization(state, session, "tools-call", async (step) => {
      describeToolCall(step, tool, choice);
      recordToolResult(step, tool, await session.callTool(tool.name, choice.args));
    });
  } finally {
    await session.close();
  }
}

/**
 * Runs an MCP step; on 403 insufficient_scope (or 401 for a stored token) the step ends as
 * `retried`, a new authorization follows, and the step runs again — within the attempt bound.
 */
async function withReauthorization<T>(
  state: FlowState,
  session: McpSession,
  id: StepId,
  body: (step: StepContext) => Promise<T>,
): Promise<T> {
  for (;;) {
    const outcome = await state.report.run(
      id,
      async (step): Promise<{ value: T } | { retry: TokenRequestReason }> => {
        try {
          return { value: await body(step) };
        } catch (error) {
          const status = httpStatusOf(error);
          if (!status) throw error instanceof McpEntraError ? error : mcpFailure(error);
          const challenge = session.lastChallenge;
          step.evidence("status", status);
          step.evidence("www-authenticate", challenge?.header ?? null);
          const retry = reauthorization(state, status, challenge);
          step.retried(
            retry.stepUp
              ? `403 insufficient_scope: re-authorizing for "${challenge?.scope ?? "more scope"}"`
              : "401: the stored token was rejected; signing in again",
          );
          return { retry };
        }
      },
    );
    if ("value" in outcome) return outcome.value;
    await acquireToken(state, outcome.retry);
  }
}

function reauthorization(
  state: FlowState,
  status: number,
  challenge: BearerChallenge | undefined,
): TokenRequestReason {
  const method = state.signIn?.method;
  const canSignIn = method && method !== "token-file" && method !== "client-credentials";
  if (status === 403 && challenge?.error === "insufficient_scope") {
    const needed = challenge.scope ? ` "${challenge.scope}"` : " more scope";
    if (!canSignIn) {
      throw new OperationError(
        "INSUFFICIENT_SCOPE",
        `The server needs${needed} (403 insufficient_scope), and ${method ?? "this run"} cannot ask for more.`,
        {
          suggestion:
            method === "client-credentials"
              ? "Assign the app role the tool needs to the client's service principal (app-only tokens carry roles, not scopes)."
              : "Use a token that carries the scope the server asks for.",
        },
      );
    }
    if (state.attempts >= MAX_AUTHORIZATION_ATTEMPTS) {
      throw new OperationError(
        "STEP_UP_LIMIT",
        `Still 403 insufficient_scope (the server asks for${needed}) after ${state.attempts} authorization attempts; the flow stops at ${MAX_AUTHORIZATION_ATTEMPTS}.`,
        {
          suggestion:
            "The authorization server does not grant what the server asks for: check the scope names and the client's permissions/consent.",
        },
      );
    }
    return { stepUp: challenge };
  }
  const storedToken = state.tokenSource === "stored" || state.tokenSource === "refreshed";
  if (status === 401 && storedToken && canSignIn && state.attempts < MAX_AUTHORIZATION_ATTEMPTS) {
    return { discardStored: true };
  }
  throw rejected(state, status, challenge);
}

function rejected(state: FlowState, status: number, challenge: BearerChallenge | undefined): OperationError {
  const why = challenge?.error
    ? `: ${challenge.error}${challenge.errorDescription ? ` (${challenge.errorDescription})` : ""}`
    : "";
  const claims = state.accessToken ? summarizeAccessToken(state.accessToken) : undefined;
  const audience = claims?.aud ? ` The token's aud is ${claims.aud}, iss ${claims.iss ?? "?"}.` : "";
  if (status === 401) {
    return new OperationError(
      "TOKEN_REJECTED",
      `The server rejected the token with HTTP 401${why}.${audience}`,
      {
        suggestion:
          "Compare the token's claims with what the server validates (aud: on Entra v2 tokens it is the API's client id; iss; expiry; scopes or roles).",
      },
    );
  }
  return new OperationError("MCP_HTTP_ERROR", `The server answered HTTP ${status}${why}.`);
}

function mcpFailure(error: unknown): OperationError {
  return new OperationError("MCP_ERROR", networkErrorMessage(error), { cause: error });
}

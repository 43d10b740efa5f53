import { OperationError } from "../../core/errors.js";
import type { FlowState } from "../flow-state.js";
import { httpStatusOf, McpSession } from "../mcp-client/mcp-session.js";
import type { StepContext } from "../report/report.js";
import { summarizeAccessToken } from "../token-claims.js";
import type { ProbeTokens } from "./probe-tokens.js";

/**
 * A valid token that lacks what the tool needs (a delegated token for a scope the server does not
 * offer, or an app-only token without roles) must get 403 with `error="insufficient_scope"` — from
 * initialize already, or from the tools/call of the tool the flow called — so that clients can step up.
 */
export async function insufficientScopeProbe(
  state: FlowState,
  step: StepContext,
  tokens: ProbeTokens,
): Promise<void> {
  const result = await tokens.withoutScope();
  if ("skip" in result) return step.skipped(result.skip);
  const tool =
    state.tool ??
    (state.options.tool ? { name: state.options.tool, args: state.options.args ?? {} } : undefined);
  if (!tool) return step.skipped("No tool to call: the flow called none (pass --tool NAME).");
  step.evidence("token", summarizeAccessToken(result.token));
  step.evidence("obtained", result.how);
  step.evidence("tool", tool.name);
  const session = new McpSession({
    serverUrl: state.options.serverUrl,
    fetch: state.fetch,
    token: () => result.token,
    signal: state.signal,
    timeoutMs: state.options.timeout * 1000,
    clientVersion: state.deps.clientVersion,
  });
  let at = "initialize";
  try {
    await session.connect();
    at = "tools/call";
    const answer = await session.callTool(tool.name, tool.args);
    throw new OperationError(
      "PROBE_SCOPE_NOT_ENFORCED",
      answer.isError
        ? `The server answered tools/call ${tool.name} with a tool error instead of HTTP 403 insufficient_scope.`
        : `The server ran ${tool.name} for a token without its scope or role.`,
      {
        suggestion:
          'Check each tool\'s scopes (scp) or app roles (roles) before running it, and answer HTTP 403 with WWW-Authenticate error="insufficient_scope" and the scope needed.',
      },
    );
  } catch (error) {
    const status = httpStatusOf(error);
    if (!status) throw error;
    const challenge = session.lastChallenge;
    step.evidence("refused at", at);
    step.evidence("status", status);
    step.evidence("www-authenticate", challenge?.header ?? null);
    if (status === 403 && challenge?.error === "insufficient_scope") {
      step.summary(
        `403 insufficient_scope at ${at}${challenge.scope ? ` (scope "${challenge.scope}")` : ""}`,
      );
      return;
    }
    throw new OperationError(
      "PROBE_NOT_INSUFFICIENT_SCOPE",
      status === 403
        ? `The server answered 403 at ${at} without error="insufficient_scope", so clients cannot step up.`
        : `The server answered HTTP ${status} at ${at} to a valid token that lacks the tool's scope; the MCP spec asks for 403 insufficient_scope.`,
      {
        suggestion:
          'Answer HTTP 403 with WWW-Authenticate: Bearer error="insufficient_scope", scope="<the scope needed>", resource_metadata="<PRM URL>".',
      },
    );
  } finally {
    await session.close();
  }
}

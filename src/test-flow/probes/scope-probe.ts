import { OperationError } from "../../core/errors.js";
import type { FlowState } from "../flow-state.js";
import type { StepContext } from "../report/report.js";
import { summarizeAccessToken } from "../token-claims.js";
import { probeRequest } from "./probe-request.js";
import type { ProbeTokens } from "./probe-tokens.js";

/**
 * A valid token that lacks what the tool needs (a delegated token for a scope the server does not
 * offer, or an app-only token without roles) must get 403 with `error="insufficient_scope"` — at any of
 * the flow's requests up to the tools/call of the tool the flow called — so that clients can step up.
 */
export async function insufficientScopeProbe(
  state: FlowState,
  step: StepContext,
  tokens: ProbeTokens,
): Promise<void> {
  const result = await tokens.withoutScope();
  if ("skip" in result) return step.skipped(result.skip);
  if (!state.tool) return step.skipped("No tool to call: the flow called none (pass --tool NAME).");
  step.evidence("token", summarizeAccessToken(result.token));
  step.evidence("obtained", result.how);
  step.evidence("tool", state.tool.name);
  const answer = await probeRequest(state, result.token, { throughCall: true });
  step.evidence("requests", answer.requests);
  const refused = answer.refused;
  if (!refused) {
    throw new OperationError(
      "PROBE_SCOPE_NOT_ENFORCED",
      `The server ran ${state.tool.name} for a token without its scope or role.`,
      {
        suggestion:
          'Check each tool\'s scopes (scp) or app roles (roles) before running it, and answer HTTP 403 with WWW-Authenticate error="insufficient_scope" and the scope needed.',
      },
    );
  }
  const challenge = refused.challenge;
  step.evidence("status", refused.status);
  step.evidence("www-authenticate", challenge?.header ?? null);
  if (refused.status === 403 && challenge?.error === "insufficient_scope") {
    step.summary(
      `403 insufficient_scope at ${refused.at ?? "?"}${challenge.scope ? ` (scope "${challenge.scope}")` : ""}`,
    );
    return;
  }
  throw new OperationError(
    "PROBE_NOT_INSUFFICIENT_SCOPE",
    refused.status === 403
      ? `The server answered 403 without error="insufficient_scope", so clients cannot step up.`
      : `The server answered HTTP ${refused.status} to a valid token that lacks the tool's scope; the MCP spec asks for 403 insufficient_scope.`,
    {
      suggestion:
        'Answer HTTP 403 with WWW-Authenticate: Bearer error="insufficient_scope", scope="<the scope needed>", resource_metadata="<PRM URL>".',
    },
  );
}

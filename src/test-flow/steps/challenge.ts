import { OperationError } from "../../core/errors.js";
import type { FlowState } from "../flow-state.js";
import { mcpFailure, refusalOf } from "../mcp-client/failures.js";
import { describeExchange, mcpHeaders } from "./session.js";

/**
 * Step 1: the first MCP request, sent without a token — the SDK opening the session (server/discover,
 * or the 2025-11-25 initialize with --protocol 2025-11-25 or when it falls back). A 401 with its
 * challenge is what a protected server answers; an answer means the server did not ask (yet): the
 * session is open, and the flow signs in when a later request is refused. Returns whether it is open.
 */
export async function challengeStep(state: FlowState): Promise<boolean> {
  const url = state.options.serverUrl;
  return state.report.run("challenge", async (step) => {
    const mark = state.wire.mark();
    let failure: unknown;
    try {
      state.connected = await state.session.connect();
    } catch (error) {
      failure = error;
    }
    const sent = state.wire.since(mark);
    step.evidence("requests", sent.map(describeExchange));
    if (sent[0]) step.evidence("headers", mcpHeaders(sent[0]));
    if (failure === undefined) {
      step.note(
        "The server answered without a token: no authorization now. The flow signs in when a request is refused (401); --require-auth fails the run if none is.",
      );
      step.summary("answered without asking for a token (yet)");
      return true;
    }
    const refusal = await refusalOf(failure, sent);
    if (refusal?.status !== 401) {
      const problem = refusal
        ? new OperationError("MCP_HTTP_ERROR", "HTTP 403")
        : await mcpFailure(failure, url);
      if (problem.code !== "MCP_HTTP_ERROR") throw problem;
      throw new OperationError(
        "UNEXPECTED_STATUS",
        `${url} answered ${problem.message.replace(/^The server answered /, "").replace(/\.$/, "")} to a request without a token; a protected MCP server answers 401 with a WWW-Authenticate challenge.`,
        { cause: failure },
      );
    }
    const challenge = refusal.challenge;
    state.auth.askedAt = "session";
    state.auth.challenge = challenge;
    step.evidence(
      "www-authenticate",
      sent.findLast((exchange) => exchange.status === 401)?.challenge?.header ?? null,
    );
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
    return false;
  });
}

import {
  createMcpHandler,
  inputRequired,
  type McpHttpHandler,
  ProtocolError,
  ProtocolErrorCode,
  Server,
} from "@modelcontextprotocol/server";
import { nextRound, QUESTIONS } from "./input-rounds.js";
import type { InputRoundRecord } from "./options.js";
import { callerSubject, type ServerState } from "./state.js";
import { simpleToolResult } from "./tool-calls.js";
import { TOOL } from "./tool-catalogue.js";

/**
 * The MCP side on the official v2 server SDK: `createMcpHandler` serves 2026-07-28 per request and,
 * unless `legacy: "reject"`, 2025-era requests statelessly. The tools are answered by a low-level
 * `Server` so that tools/list returns the catalogue's JSON Schemas exactly as written.
 */
export function modernHandler(state: ServerState, legacy: "stateless" | "reject"): McpHttpHandler {
  return createMcpHandler(
    ({ era, authInfo }) => {
      const server = new Server({ name: "spec-fixture", version: "1.0.0" }, { capabilities: { tools: {} } });
      server.setRequestHandler("tools/list", async () => ({ tools: state.catalogue as never }));
      server.setRequestHandler("tools/call", async (request, ctx) => {
        const { name, arguments: args } = request.params;
        state.records.toolCalls.push({ name, arguments: args, era });
        if (name === TOOL.inputRounds) {
          const record: InputRoundRecord = { era, round: 0, answer: "rejected" };
          state.records.inputRounds.push(record);
          const requestState = ctx.mcpReq.requestState() as string | undefined;
          record.requestState = requestState;
          if (requestState !== undefined) record.echoedExactly = state.seal.minted.has(requestState);
          const outcome = nextRound(
            state.seal,
            state.options.inputRounds ?? 2,
            {
              environment: String((args as Record<string, unknown> | undefined)?.environment),
              sub: callerSubject(authInfo),
              requestState,
              inputResponses: ctx.mcpReq.inputResponses,
            },
            record,
          );
          if (outcome.kind === "reject")
            throw new ProtocolError(ProtocolErrorCode.InvalidParams, outcome.message);
          if (outcome.kind === "done") {
            record.answer = "complete";
            return outcome.result;
          }
          record.answer = "input_required";
          return inputRequired({
            inputRequests: { [outcome.key]: inputRequired.elicit(QUESTIONS[outcome.key]) },
            requestState: outcome.requestState,
          });
        }
        const result = simpleToolResult(
          state.catalogue.find((tool) => tool.name === name),
          args,
        );
        if (!result) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown tool: ${name}`);
        return result;
      });
      return server;
    },
    { legacy },
  );
}

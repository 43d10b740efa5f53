import type { CallToolResult, Tool } from "@modelcontextprotocol/client";
import { OperationError } from "../../core/errors.js";
import type { FlowState } from "../flow-state.js";
import type { InputAnswer } from "../mcp-client/input-answers.js";
import type { WireExchange } from "../mcp-client/wire-log.js";
import { withAuthorization } from "../reauthorize.js";
import type { StepContext } from "../report/report.js";
import { scrubTokens } from "../scrub-tokens.js";
import { mcpHeaders } from "./session.js";

/**
 * Step 9: tools/call of the chosen tool, re-authorized when the server asks. The evidence shows the
 * headers the SDK sent (Mcp-Method, Mcp-Name, the Mcp-Param-* an `x-mcp-header` asks for) and, when the
 * server answered input_required, each round: what it asked, how test-flow answered, and whether the
 * request state came back unchanged.
 */
export async function callStep(state: FlowState, tools: Tool[]): Promise<void> {
  const choice = chooseTool(tools, state.options.tool, state.options.args);
  const missing = choice.missing;
  if (missing) {
    await state.report.run("tools-call", async () => {
      throw new OperationError("NO_SUCH_TOOL", missing);
    });
  }
  const tool = choice.tool;
  if (!tool) {
    state.report.skip("tools-call", choice.reason);
    return;
  }
  state.tool = { name: tool.name, args: choice.args };
  await withAuthorization(state, "tools-call", async (step) => {
    describeToolCall(step, tool, choice);
    const mark = state.wire.mark();
    state.session.answers.take();
    let result: CallToolResult;
    try {
      result = await state.session.callTool(tool, choice.args);
    } finally {
      await state.wire.settled();
      recordCallWire(step, state.wire.since(mark), state.session.answers.take());
    }
    recordToolResult(step, tool, result);
  });
}

export interface ToolChoice {
  tool?: Tool;
  args: Record<string, unknown>;
  reason: string;
  /** --tool names a tool the server does not have. */
  missing?: string;
}

/** --tool (with --args), else the first tool whose input schema requires nothing, else none. */
export function chooseTool(
  tools: Tool[],
  wanted: string | undefined,
  args: Record<string, unknown> | undefined,
): ToolChoice {
  if (wanted) {
    const tool = tools.find((candidate) => candidate.name === wanted);
    if (!tool) {
      const names = tools.map((candidate) => candidate.name).join(", ") || "none";
      return { args: {}, reason: "--tool", missing: `The server has no tool "${wanted}" (it has ${names}).` };
    }
    return { tool, args: args ?? {}, reason: "--tool" };
  }
  const tool = tools.find((candidate) => ((candidate.inputSchema.required as unknown[]) ?? []).length === 0);
  if (tool) return { tool, args: {}, reason: "the first tool without required arguments" };
  return {
    args: {},
    reason: "Skipped: every tool needs arguments; pass --tool NAME --args JSON to call one.",
  };
}

export function describeToolCall(step: StepContext, tool: Tool, choice: ToolChoice): void {
  step.evidence("tool", tool.name);
  step.evidence("chosen", choice.reason);
  step.evidence("arguments", Object.keys(choice.args));
}

/** The headers of the call and, for a multi-round-trip call, its rounds. */
function recordCallWire(step: StepContext, exchanges: WireExchange[], answers: InputAnswer[]): void {
  const calls = exchanges.filter((exchange) => exchange.method === "tools/call");
  if (calls[0]) step.evidence("headers", mcpHeaders(calls[0]));
  if (calls.length < 2 && answers.length === 0) return;
  const rounds: string[] = [];
  calls.forEach((call, index) => {
    const previous = calls[index - 1]?.answer;
    const parts = [`round ${index + 1}:`];
    if (call.inputResponses) parts.push(`inputResponses ${call.inputResponses.join(", ")};`);
    if (previous?.requestState !== undefined || call.requestState !== undefined) {
      parts.push(
        call.requestState === previous?.requestState
          ? `requestState echoed unchanged (${call.requestState?.length ?? 0} characters);`
          : previous?.requestState === undefined
            ? "requestState sent without one to echo;"
            : "requestState NOT echoed unchanged;",
      );
    }
    const answer = call.answer;
    if (answer?.resultType === "input_required") {
      const asked = Object.entries(answer.inputRequests ?? {}).map(([key, method]) => `${key} (${method})`);
      parts.push(`→ input_required${asked.length ? `: ${asked.join(", ")}` : ""}`);
    } else if (answer?.error) parts.push(`→ error ${answer.error.code}`);
    else parts.push(`→ ${answer?.resultType ?? `HTTP ${call.status ?? "?"}`}`);
    rounds.push(parts.join(" "));
  });
  step.evidence("rounds", rounds);
  if (answers.length > 0)
    step.evidence(
      "answers",
      answers.map((answer) => `${answer.method}: ${answer.answer}`),
    );
}

/** The tool's answer as evidence; a tool error fails the step. */
export function recordToolResult(step: StepContext, tool: Tool, result: CallToolResult): void {
  const answer = toolText(result);
  // A tool's answer is the server's to word: whatever in it looks like a token is not shown.
  // One line (a JSON answer spans many), so the report's layout holds.
  const text = answer === undefined ? undefined : scrubTokens(answer).replace(/\s+/g, " ").trim();
  step.evidence("isError", Boolean(result.isError));
  step.evidence(
    "content",
    (result.content ?? []).map((item) => item.type),
  );
  if (text !== undefined) step.evidence("text", text.length > 200 ? `${text.slice(0, 200)}…` : text);
  if (result.isError) {
    throw new OperationError(
      "TOOL_ERROR",
      `The tool ${tool.name} reported an error${text ? `: ${text.slice(0, 300)}` : "."}`,
    );
  }
  const brief = text === undefined ? undefined : compactJson(text);
  step.summary(
    `${tool.name} answered${brief ? `: ${brief.length > 100 ? `${brief.slice(0, 100)}…` : brief}` : ""}`,
  );
}

/** A JSON answer without its layout spaces (so the summary line shows more of it); other text as is. */
function compactJson(text: string): string {
  if (!/^[[{]/.test(text)) return text;
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text;
  }
}

/** The first text content of a tool's answer. */
export function toolText(result: CallToolResult): string | undefined {
  const item = result.content?.find((content) => content.type === "text");
  return item?.type === "text" ? item.text : undefined;
}

import type { CallToolResult, Tool } from "@modelcontextprotocol/sdk/types.js";
import { OperationError } from "../../core/errors.js";
import type { ConnectedServer } from "../mcp-client/mcp-session.js";
import type { StepContext } from "../report/report.js";
import { scrubTokens } from "../scrub-tokens.js";

/** What the initialize, tools/list and tools/call steps record, whatever the transport. */

export function recordInitialize(step: StepContext, info: ConnectedServer): void {
  step.evidence("server", info.server ?? null);
  step.evidence("protocolVersion", info.protocolVersion ?? null);
  step.evidence("capabilities", info.capabilities);
  step.evidence("session id", info.sessionId ?? "no");
  step.summary(`${info.server ?? "server"} (protocol ${info.protocolVersion ?? "unknown"})`);
}

export function recordToolsList(step: StepContext, list: Tool[]): void {
  step.evidence("count", list.length);
  step.evidence(
    "tools",
    list.slice(0, 50).map((tool) => tool.name),
  );
  step.summary(`${list.length} tool${list.length === 1 ? "" : "s"}`);
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
  const tool = tools.find((candidate) => (candidate.inputSchema.required ?? []).length === 0);
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

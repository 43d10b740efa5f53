import type { CallToolResult, ToolAnnotations } from "@modelcontextprotocol/server";
import type { AccessRule } from "../auth/access-rules.js";
import type { Caller } from "../auth/token-validator.js";
import type { Config } from "../config.js";
import type { GraphClient } from "../graph/graph-client.js";
import type { Logger } from "../logger.js";

/** What every tool gets to work with. */
export interface ToolContext {
  caller: Caller;
  config: Config;
  graph: GraphClient;
  log: Logger;
}

/** A tool without input. Add an `inputSchema` (zod) and pass it to registerTool for tools that take input. */
export interface ToolDefinition {
  name: string;
  title: string;
  description: string;
  /** Checked before the call reaches the tool (HTTP 403 insufficient_scope) and again inside it. */
  access: AccessRule;
  annotations?: ToolAnnotations;
  run(context: ToolContext): Promise<CallToolResult>;
}

export function textResult(value: unknown): CallToolResult {
  return {
    content: [{ type: "text", text: typeof value === "string" ? value : JSON.stringify(value, null, 2) }],
  };
}

export function errorResult(message: string): CallToolResult {
  return { isError: true, content: [{ type: "text", text: message }] };
}

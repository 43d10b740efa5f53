import type { CallToolResult, ToolAnnotations } from "@modelcontextprotocol/server";
import { SignInFailedError, SignInRequiredError } from "../auth/sign-in-errors.js";
import type { Config } from "../config.js";
import { type GraphClient, GraphError } from "../graph/graph-client.js";
import type { Logger } from "../logger.js";

/** What every tool gets to work with. */
export interface ToolContext {
  config: Config;
  graph: GraphClient;
  log: Logger;
}

/** A tool without input. Add an `inputSchema` (zod) and pass it to registerTool for tools that take input. */
export interface ToolDefinition {
  name: string;
  title: string;
  description: string;
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

/**
 * Runs a Graph call for a tool and turns what can go wrong into a result the user can act on: sign-in
 * pending (what to do, then call again), sign-in failed (why; calling again starts over), Graph errors.
 */
export async function graphResult(
  toolName: string,
  { log }: ToolContext,
  call: () => Promise<unknown>,
): Promise<CallToolResult> {
  try {
    return textResult(await call());
  } catch (error) {
    if (error instanceof SignInRequiredError) {
      return errorResult(
        `Sign-in required: this server calls Microsoft Graph as you. ${error.message} Then call ${toolName} again.`,
      );
    }
    if (error instanceof SignInFailedError) {
      return errorResult(`Sign-in failed: ${error.message}. Call ${toolName} again to start a new sign-in.`);
    }
    if (error instanceof GraphError) {
      log.warn(`${toolName} failed`, { reason: error.message });
      return errorResult(error.message);
    }
    throw error;
  }
}

import { McpServer } from "@modelcontextprotocol/server";
import { describeRule, isAllowed } from "./auth/access-rules.js";
import type { Caller } from "./auth/token-validator.js";
import { packageInfo } from "./package-info.js";
import { errorResult, type ToolContext, type ToolDefinition } from "./tools/tool.js";

/**
 * An MCP server with the given tools, for one request of one caller: both protocol revisions are
 * served per request, so every request is authenticated on its own and nothing is shared between
 * callers.
 */
export function createMcpServer(
  tools: readonly ToolDefinition[],
  context: Omit<ToolContext, "caller">,
  caller: Caller,
): McpServer {
  const server = new McpServer({ name: packageInfo.name, version: packageInfo.version });
  for (const tool of tools) {
    server.registerTool(
      tool.name,
      { title: tool.title, description: tool.description, annotations: tool.annotations },
      async () => {
        // The HTTP layer already answered 403 for callers without access; this is the second lock.
        if (!isAllowed(tool.access, caller))
          return errorResult(`Forbidden: ${tool.name} requires ${describeRule(tool.access)}`);
        return tool.run({ ...context, caller });
      },
    );
  }
  return server;
}

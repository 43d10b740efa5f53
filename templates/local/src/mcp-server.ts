import { McpServer } from "@modelcontextprotocol/server";
import { packageInfo } from "./package-info.js";
import type { ToolContext, ToolDefinition } from "./tools/tool.js";

/** An MCP server with the given tools. One user (whoever signed in on this machine) uses it. */
export function createMcpServer(tools: readonly ToolDefinition[], context: ToolContext): McpServer {
  const server = new McpServer({ name: packageInfo.name, version: packageInfo.version });
  for (const tool of tools) {
    server.registerTool(
      tool.name,
      { title: tool.title, description: tool.description, annotations: tool.annotations },
      () => tool.run(context),
    );
  }
  return server;
}

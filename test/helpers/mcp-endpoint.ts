import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type express from "express";
import { z } from "zod";

/** Who called, as the fixture servers' token check found it. */
export interface Caller {
  subject: string;
  scopes: string[];
}

/**
 * A small MCP server (the SDK's McpServer) with three tools: `whoami` (no arguments, listed first),
 * `add` (required arguments) and `admin-report` (the fixtures demand an extra scope for it).
 */
export function buildMcpServer(caller: Caller): McpServer {
  const server = new McpServer({ name: "fixture-mcp", version: "1.0.0" });
  server.registerTool("whoami", { description: "Who the token is for" }, async () => ({
    content: [{ type: "text", text: `hello ${caller.subject} (${caller.scopes.join(" ")})` }],
  }));
  server.registerTool(
    "add",
    { description: "Adds two numbers", inputSchema: { a: z.number(), b: z.number() } },
    async ({ a, b }) => ({ content: [{ type: "text", text: String(a + b) }] }),
  );
  server.registerTool("admin-report", { description: "Needs mcp:admin" }, async () => ({
    content: [{ type: "text", text: "admin report: all good" }],
  }));
  return server;
}

/** Stateless Streamable HTTP: a fresh server and transport per POST; GET/DELETE are 405. */
export function mcpHandler(callerOf: (res: express.Response) => Caller): express.RequestHandler {
  return async (req, res) => {
    if (req.method !== "POST") {
      res
        .status(405)
        .json({ jsonrpc: "2.0", error: { code: -32000, message: "Method not allowed." }, id: null });
      return;
    }
    const server = buildMcpServer(callerOf(res));
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on("close", () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  };
}

export async function listen(app: express.Express): Promise<{ server: Server; origin: string }> {
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

export async function close(server: Server): Promise<void> {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

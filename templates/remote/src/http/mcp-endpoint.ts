import { originValidation } from "@modelcontextprotocol/express";
import { toNodeHandler } from "@modelcontextprotocol/node";
import { createMcpHandler } from "@modelcontextprotocol/server";
import express, { type RequestHandler } from "express";
import { rateLimit } from "express-rate-limit";
import { callerOf, requireBearer } from "../auth/require-bearer.js";
import type { TokenValidator } from "../auth/token-validator.js";
import type { Config } from "../config.js";
import type { GraphClient } from "../graph/graph-client.js";
import type { Logger } from "../logger.js";
import { createMcpServer } from "../mcp-server.js";
import type { ToolDefinition } from "../tools/tool.js";
import { allowedHostnames } from "./allowed-hosts.js";
import { toolAccess } from "./tool-access.js";

export interface McpEndpointParts {
  validateToken: TokenValidator;
  graph: GraphClient;
  tools: readonly ToolDefinition[];
}

/**
 * The MCP endpoint's handlers, in order: Origin check, rate limit, Entra token (before the body is
 * read, so anonymous callers cannot make the server parse anything), the body, per-tool access
 * (403 before the MCP SDK sees the call), then the SDK. One SDK handler serves both revisions:
 * 2026-07-28 requests, and 2025-era ones (initialize and the rest) statelessly; every request gets
 * a fresh MCP server for the caller it authenticated.
 */
export function mcpEndpoint(config: Config, log: Logger, parts: McpEndpointParts): RequestHandler[] {
  const { validateToken, graph, tools } = parts;
  const mcp = toNodeHandler(
    createMcpHandler(({ authInfo }) => createMcpServer(tools, { config, graph, log }, callerOf(authInfo)), {
      onerror: (error) => log.warn("mcp request failed", { reason: error.message }),
    }),
  );
  return [
    // Browsers send Origin: only pages of this server (and, bound to loopback, of this machine) may call.
    originValidation(allowedHostnames(config)),
    rateLimit({
      windowMs: 60_000,
      limit: config.rateLimitPerMinute,
      standardHeaders: "draft-8",
      legacyHeaders: false,
    }),
    requireBearer(config, validateToken, log),
    express.json({ limit: "1mb" }),
    toolAccess(config, tools),
    (req, res) => void mcp(req, res, req.body),
  ];
}

/** The route of the MCP endpoint: MCP_SERVER_URL's path. */
export function mcpPath(config: Pick<Config, "serverUrl">): string {
  return new URL(config.serverUrl).pathname.replace(/\/+$/, "") || "/";
}

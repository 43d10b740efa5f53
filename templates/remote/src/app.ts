import { hostHeaderValidation } from "@modelcontextprotocol/sdk/server/middleware/hostHeaderValidation.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import express, { type ErrorRequestHandler, type RequestHandler } from "express";
import { rateLimit } from "express-rate-limit";
import { metadataPaths, protectedResourceMetadata } from "./auth/protected-resource.js";
import { requireBearer } from "./auth/require-bearer.js";
import type { TokenValidator } from "./auth/token-validator.js";
import type { Config } from "./config.js";
import type { GraphClient } from "./graph/graph-client.js";
import { requestLog } from "./http/request-log.js";
import { toolAccess } from "./http/tool-access.js";
import type { Logger } from "./logger.js";
import { createMcpServer } from "./mcp-server.js";
import type { ToolDefinition } from "./tools/tool.js";

export interface AppDependencies {
  config: Config;
  validateToken: TokenValidator;
  graph: GraphClient;
  tools: readonly ToolDefinition[];
  log: Logger;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1"]);

/** The HTTP application: health, Protected Resource Metadata, and the MCP endpoint behind Entra. */
export function createApp(deps: AppDependencies): express.Express {
  const { config, log } = deps;
  const app = express();
  app.disable("x-powered-by");
  app.use(requestLog(log));
  if (LOOPBACK.has(config.host)) {
    // Bound to this machine only: refuse other Host headers (DNS rebinding protection).
    app.use(hostHeaderValidation(["localhost", "127.0.0.1", "[::1]", new URL(config.serverUrl).hostname]));
  }

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });

  const metadata = protectedResourceMetadata(config);
  const paths = metadataPaths(config.serverUrl);
  app.get([...new Set([paths.pathAware, paths.root])], (_req, res) => {
    res.set("Cache-Control", "public, max-age=3600").json(metadata);
  });

  const mcpPath = new URL(config.serverUrl).pathname.replace(/\/+$/, "") || "/";
  app.all(
    mcpPath,
    rateLimit({
      windowMs: 60_000,
      limit: config.rateLimitPerMinute,
      standardHeaders: "draft-8",
      legacyHeaders: false,
    }),
    // Authenticate before reading the body: anonymous callers cannot make the server parse anything.
    requireBearer(config, deps.validateToken, log),
    express.json({ limit: "1mb" }),
    toolAccess(config, deps.tools),
    handleMcp(deps),
  );

  app.use((_req, res) => {
    res.status(404).json({ error: "not_found" });
  });
  app.use(errorHandler(log));
  return app;
}

/** Streamable HTTP, stateless: a fresh MCP server and transport for every POST. */
function handleMcp(deps: AppDependencies): RequestHandler {
  return async (req, res) => {
    if (req.method !== "POST") {
      // No server-initiated streams (GET) or sessions (DELETE) in stateless mode.
      res.status(405).set("Allow", "POST").json(rpcError(-32000, "Method not allowed."));
      return;
    }
    const caller = req.caller!;
    const server = createMcpServer(
      deps.tools,
      { config: deps.config, graph: deps.graph, log: deps.log },
      caller,
    );
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    res.on("close", () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  };
}

function rpcError(code: number, message: string) {
  return { jsonrpc: "2.0", error: { code, message }, id: null };
}

function errorHandler(log: Logger): ErrorRequestHandler {
  return (error, _req, res, _next) => {
    const status =
      typeof error?.status === "number" && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500)
      log.error("request failed", { error: error instanceof Error ? error.message : String(error) });
    if (res.headersSent) return;
    // Client errors (body too large: 413, malformed JSON: 400) are named; server errors are masked.
    const message =
      status === 413 ? "Request body too large." : status === 500 ? "Internal error." : "Bad request.";
    const code = status === 500 ? -32603 : error?.type === "entity.parse.failed" ? -32700 : -32600;
    res.status(status).json(rpcError(code, message));
  };
}

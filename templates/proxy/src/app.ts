import { hostHeaderValidation } from "@modelcontextprotocol/express";
import express from "express";
import { metadataPaths, protectedResourceMetadata } from "./auth/protected-resource.js";
import { createTokenValidator } from "./auth/token-validator.js";
import type { Config } from "./config.js";
import { createGraphClient } from "./graph/graph-client.js";
import { createOnBehalfOf } from "./graph/on-behalf-of.js";
import { allowedHostnames, isLoopbackBind } from "./http/allowed-hosts.js";
import { errorHandler } from "./http/error-handler.js";
import { type McpEndpointParts, mcpEndpoint, mcpPath } from "./http/mcp-endpoint.js";
import { requestLog } from "./http/request-log.js";
import type { Logger } from "./logger.js";
import { createOAuthProxy } from "./oauth-proxy/proxy-context.js";
import { oauthProxyRoutes } from "./oauth-proxy/routes.js";
import { tools as allTools } from "./tools/index.js";

/**
 * The HTTP application: health, Protected Resource Metadata, the OAuth proxy MCP clients sign in
 * through, and the MCP endpoint behind Entra. Async because the OAuth proxy opens its state
 * (PROXY_STATE_DIR) first, so a broken one stops the start. Its parts default to the real ones
 * (token validation, Graph on behalf of users, every tool); tests swap some.
 */
export async function createApp(
  config: Config,
  log: Logger,
  {
    validateToken = createTokenValidator(config),
    graph = createGraphClient(config, createOnBehalfOf(config)),
    tools = allTools,
  }: Partial<McpEndpointParts> = {},
): Promise<express.Express> {
  const app = express();
  app.disable("x-powered-by");
  app.use(requestLog(log));
  // Bound to this machine only: refuse other Host headers (DNS rebinding protection).
  if (isLoopbackBind(config)) app.use(hostHeaderValidation(allowedHostnames(config)));

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });

  const metadata = protectedResourceMetadata(config);
  const paths = metadataPaths(config.serverUrl);
  app.get([...new Set([paths.pathAware, paths.root])], (_req, res) => {
    res.set("Cache-Control", "public, max-age=3600").json(metadata);
  });

  oauthProxyRoutes(app, await createOAuthProxy(config, log));

  app.all(mcpPath(config), ...mcpEndpoint(config, log, { validateToken, graph, tools }));

  app.use((_req, res) => {
    res.status(404).json({ error: "not_found" });
  });
  app.use(errorHandler(log));
  return app;
}

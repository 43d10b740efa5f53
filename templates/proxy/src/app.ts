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
import { STORE_RETRY_AFTER_SECONDS } from "./oauth-proxy/store-health.js";
import { tools as allTools } from "./tools/index.js";

/** What each app must let go of when the server stops (the store's connection). */
const closers = new WeakMap<express.Express, () => Promise<void>>();

/** Closes what the app holds open, once the server has stopped taking requests. */
export async function closeApp(app: express.Express): Promise<void> {
  await closers.get(app)?.();
}

/**
 * The HTTP application: health, Protected Resource Metadata, the OAuth proxy MCP clients sign in
 * through, and the MCP endpoint behind Entra. Async because the OAuth proxy opens its store
 * (PROXY_STATE_DIR, or Redis) first, so a broken one stops the start. Its parts default to the real ones
 * (token validation, Graph on behalf of users, every tool, the clock of the OAuth proxy); tests swap
 * some.
 */
export async function createApp(
  config: Config,
  log: Logger,
  {
    validateToken = createTokenValidator(config),
    graph = createGraphClient(config, createOnBehalfOf(config)),
    tools = allTools,
    now = Date.now,
  }: Partial<McpEndpointParts> & { now?: () => number } = {},
): Promise<express.Express> {
  const app = express();
  app.disable("x-powered-by");
  app.use(requestLog(log));
  // Bound to this machine only: refuse other Host headers (DNS rebinding protection).
  if (isLoopbackBind(config)) app.use(hostHeaderValidation(allowedHostnames(config)));

  const proxy = await createOAuthProxy(config, log, now);
  closers.set(app, () => proxy.state.close());
  // The OAuth proxy's store too: without it no one can sign in (503 until it is back).
  app.get("/healthz", async (_req, res) => {
    const store = await proxy.state.status();
    if (!store.reachable) res.status(503).set("Retry-After", String(STORE_RETRY_AFTER_SECONDS));
    res.json({ status: store.reachable ? "ok" : "unavailable", store });
  });

  const metadata = protectedResourceMetadata(config);
  const paths = metadataPaths(config.serverUrl);
  app.get([...new Set([paths.pathAware, paths.root])], (_req, res) => {
    res.set("Cache-Control", "public, max-age=3600").json(metadata);
  });

  oauthProxyRoutes(app, proxy);

  app.all(mcpPath(config), ...mcpEndpoint(config, log, { validateToken, graph, tools }));

  app.use((_req, res) => {
    res.status(404).json({ error: "not_found" });
  });
  app.use(errorHandler(log));
  return app;
}

import type express from "express";
import { createApp } from "./app.js";
import { createTokenValidator } from "./auth/token-validator.js";
import type { Config } from "./config.js";
import { createGraphClient } from "./graph/graph-client.js";
import { createOnBehalfOf } from "./graph/on-behalf-of.js";
import type { Logger } from "./logger.js";
import { createOAuthProxy } from "./oauth-proxy/proxy-context.js";
import { createOutboundFetch } from "./outbound-fetch.js";
import { tools } from "./tools/index.js";

/**
 * Wires the real dependencies together: what main.ts runs and what the tests start. Async because
 * the OAuth proxy opens its state (PROXY_STATE_DIR) first, so a broken one stops the start.
 * `now` is the OAuth proxy's clock (tests move it to expire refresh tokens).
 */
export async function composeApp(
  config: Config,
  log: Logger,
  options: { now?: () => number } = {},
): Promise<express.Express> {
  const fetch = createOutboundFetch(config.caFile);
  return createApp({
    config,
    validateToken: createTokenValidator(config, fetch),
    graph: createGraphClient(config, fetch, createOnBehalfOf(config, fetch)),
    tools,
    log,
    proxy: await createOAuthProxy(config, fetch, log, options.now),
  });
}

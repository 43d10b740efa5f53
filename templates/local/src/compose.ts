import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { createPublicClient, GRAPH_SCOPES } from "./auth/public-client.js";
import { createUserSignIn, type UserSignIn, type UserSignInOptions } from "./auth/sign-in.js";
import { fileTokenCache } from "./auth/token-cache.js";
import type { Config } from "./config.js";
import { createGraphClient } from "./graph/graph-client.js";
import type { Logger } from "./logger.js";
import { createMcpServer } from "./mcp-server.js";
import { createOutboundFetch } from "./outbound-fetch.js";
import { tools } from "./tools/index.js";

export interface Composed {
  server: McpServer;
  signIn: UserSignIn;
}

/** Wires the real dependencies together: what main.ts runs and what tests can run in process. */
export function composeServer(
  config: Config,
  log: Logger,
  options: Pick<UserSignInOptions, "openBrowser" | "firstWaitMs"> = {},
): Composed {
  const fetch = createOutboundFetch(config.caFile);
  const app = createPublicClient(config, fetch, fileTokenCache(config.tokenCacheFile, log), log);
  const signIn = createUserSignIn(app, { config, scopes: GRAPH_SCOPES, log, ...options });
  const graph = createGraphClient(config, fetch, () => signIn.getToken());
  return { server: createMcpServer(tools, { config, graph, log }), signIn };
}

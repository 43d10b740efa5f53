import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { serveStdio } from "@modelcontextprotocol/server/stdio";
import { createPublicClient, GRAPH_SCOPES } from "./auth/public-client.js";
import { createUserSignIn } from "./auth/sign-in.js";
import { fileTokenCache } from "./auth/token-cache.js";
import { type Config, ConfigError, loadConfig } from "./config.js";
import { createGraphClient } from "./graph/graph-client.js";
import { createLogger } from "./logger.js";
import { createMcpServer } from "./mcp-server.js";
import { tools } from "./tools/index.js";

/**
 * The entry point. MCP clients start this process and speak JSON-RPC over its stdin and stdout, so
 * stdout belongs to the protocol: every log line and every sign-in message goes to stderr.
 */
async function main(): Promise<void> {
  const log = createLogger();
  const extraCaCerts = process.env.NODE_EXTRA_CA_CERTS;
  // The project's .env, wherever the MCP client starts the process; variables already set win.
  const envFile = fileURLToPath(new URL("../.env", import.meta.url));
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  if (process.env.NODE_EXTRA_CA_CERTS !== extraCaCerts) {
    log.warn("NODE_EXTRA_CA_CERTS from .env has no effect: Node reads it only at start-up; export it first");
  }
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) process.stderr.write(`config: ${problem}\n`);
    process.stderr.write("config: see .env.example for every variable\n");
    process.exitCode = 1;
    return;
  }
  const app = createPublicClient(config, fileTokenCache(config.tokenCacheFile, log), log);
  const signIn = createUserSignIn(app, { config, scopes: GRAPH_SCOPES, log });
  const graph = createGraphClient(config, () => signIn.getToken());
  // Both revisions: the client's first message decides whether the connection speaks 2026-07-28
  // (server/discover, then requests) or 2025-11-25 (the initialize handshake).
  const server = serveStdio(() => createMcpServer(tools, { config, graph, log }), {
    onerror: (error) => log.warn("mcp message failed", { reason: error.message }),
  });
  log.info("ready", {
    transport: "stdio",
    tenant: config.tenantId,
    signInMethod: config.signInMethod,
    tokenCache: config.tokenCacheFile,
  });

  let stopping = false;
  const stop = (reason: string) => {
    if (stopping) return;
    stopping = true;
    log.info("shutting down", { reason });
    signIn.cancel();
    void server.close().finally(() => {
      log.info("stopped");
      // A browser sign-in's loopback listener or a device code poll may still be waiting: do not
      // let them keep the process alive once the client has gone.
      setTimeout(() => process.exit(), 1_000).unref();
    });
  };
  // The client closing our stdin is the normal way a stdio server is told to stop.
  process.stdin.once("end", () => stop("stdin closed"));
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
}

main().catch((error: unknown) => {
  process.stderr.write(`fatal: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});

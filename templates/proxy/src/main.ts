import { existsSync } from "node:fs";
import { closeApp, createApp } from "./app.js";
import { type Config, ConfigError, loadConfig } from "./config.js";
import { createServer, listen } from "./http-server.js";
import { createLogger } from "./logger.js";

/** The entry point: configuration, the app, the listener, and a graceful shutdown on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const log = createLogger();
  const extraCaCerts = process.env.NODE_EXTRA_CA_CERTS;
  // Variables already set in the environment win over .env.
  if (existsSync(".env")) process.loadEnvFile(".env");
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
  const app = await createApp(config, log);
  const running = await listen(createServer(config, app), config.port, config.host);
  log.info("listening", { address: running.origin, url: config.serverUrl, tenant: config.tenantId });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("shutting down", { signal });
    void running
      .close()
      .then(() => closeApp(app))
      .then(() => log.info("stopped"));
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
}

main().catch((error: unknown) => {
  process.stderr.write(`fatal: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});

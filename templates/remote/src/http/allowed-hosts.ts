import type { Config } from "../config.js";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1"]);

/** Bound to this machine only (HOST is a loopback address): the server checks Host headers. */
export function isLoopbackBind(config: Pick<Config, "host">): boolean {
  return LOOPBACK.has(config.host);
}

/**
 * The host names requests may name (Host) or come from (Origin): MCP_SERVER_URL's, and, bound to
 * loopback, this machine's. Anything else on a loopback server is DNS rebinding.
 */
export function allowedHostnames(config: Pick<Config, "host" | "serverUrl">): string[] {
  const own = new URL(config.serverUrl).hostname;
  return isLoopbackBind(config) ? ["localhost", "127.0.0.1", "[::1]", own] : [own];
}

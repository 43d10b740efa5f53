import { join } from "node:path";
import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import { openFileStore } from "./file-store.js";
import type { ProxyStore } from "./proxy-store.js";
import { connectRedis } from "./redis-connection.js";
import { createRedisStore } from "./redis-store.js";
import { loadOrCreateKey } from "./state-files.js";
import { StoreHealth } from "./store-health.js";

/**
 * The proxy's store and the secret its keys derive from, as configured: Redis and PROXY_STATE_KEY
 * when REDIS_URL is set (every instance the same), otherwise files in PROXY_STATE_DIR and the key kept
 * there (PROXY_STATE_KEY, if set, still wins).
 */
export async function openStore(
  config: Config,
  log: Logger,
  now: () => number,
): Promise<{ store: ProxyStore; secret: Buffer }> {
  const { redis, key } = config.store;
  if (redis && key) {
    const health = new StoreHealth("redis", log);
    const connection = await connectRedis(redis, health);
    const origin = new URL(config.serverUrl).origin;
    log.info("proxy store: redis", { host: new URL(redis.url).host });
    return { store: createRedisStore(connection, { origin, now, health }), secret: key };
  }
  const secret = key ?? (await loadOrCreateKey(join(config.proxy.stateDir, "refresh-token-key")));
  return { store: await openFileStore(config.proxy.stateDir, now), secret };
}

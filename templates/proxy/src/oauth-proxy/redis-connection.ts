import { createClient } from "redis";
import type { StoreConfig } from "../store-config.js";
import type { StoreHealth } from "./store-health.js";

/** A command that gets no answer in this time fails (503) rather than holding a request. */
const COMMAND_TIMEOUT_MS = 2_000;
/** How long the start waits for Redis before serving anyway (503s until it is there). */
const START_WAIT_MS = 5_000;

function newClient(redis: NonNullable<StoreConfig["redis"]>) {
  return createClient({
    url: redis.url,
    ...(redis.password ? { password: redis.password } : {}),
    disableOfflineQueue: true,
    commandOptions: { timeout: COMMAND_TIMEOUT_MS, rejectInFlight: true },
    socket: {
      connectTimeout: COMMAND_TIMEOUT_MS,
      reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2_000),
    },
  });
}

export type RedisConnection = ReturnType<typeof newClient>;

/**
 * The connection to Redis: `rediss://` for TLS (Azure Managed Redis), the password from the URL or
 * REDIS_PASSWORD. While Redis is away, commands fail at once instead of queueing (the request gets
 * 503) and the client reconnects by itself, every 2 seconds at most; `health` hears both.
 */
export async function connectRedis(
  redis: NonNullable<StoreConfig["redis"]>,
  health: StoreHealth,
): Promise<RedisConnection> {
  const client = newClient(redis);
  client.on("error", (error: unknown) => health.down(error));
  client.on("ready", () => health.up());
  const connected = client.connect().then(
    () => true,
    (error: unknown) => {
      health.down(error);
      return false;
    },
  );
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), START_WAIT_MS);
  });
  if (!(await Promise.race([connected, waited]))) {
    health.down(new Error(`no connection to Redis within ${START_WAIT_MS / 1000} seconds`));
  }
  clearTimeout(timer);
  return client;
}

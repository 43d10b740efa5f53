import { z } from "zod";

/**
 * Where the OAuth proxy keeps its state, read with the rest of the configuration (config.ts): files
 * in PROXY_STATE_DIR for one instance, or Redis (REDIS_URL) shared by every instance. With Redis the
 * instances must also share the key that seals and signs what they store (PROXY_STATE_KEY).
 */
export interface StoreConfig {
  redis?: {
    url: string;
    /** Overrides the URL's password (an Azure access key need not be URL-encoded here). */
    password?: string;
  };
  /** 32 bytes; without it, one instance keeps its own in PROXY_STATE_DIR/refresh-token-key. */
  key?: Buffer;
}

const KEY = /^[A-Za-z0-9+/]{43}=$/;

function isRedisUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "redis:" || url.protocol === "rediss:") && url.hostname !== "";
  } catch {
    return false;
  }
}

/** The variables, for config.ts's schema. */
export const storeVariables = {
  REDIS_URL: z
    .string()
    .refine(
      isRedisUrl,
      "must be a redis:// or rediss:// URL such as rediss://<name>.<region>.redis.azure.net:10000",
    )
    .optional(),
  REDIS_PASSWORD: z.string().min(1).optional(),
  PROXY_STATE_KEY: z
    .string()
    .regex(KEY, "must be 32 random bytes in base64: make one with `openssl rand -base64 32`")
    .optional(),
};

type StoreVariables = { [name in keyof typeof storeVariables]?: string };

/** The store's configuration; adds to `problems` what is missing. */
export function storeConfig(env: StoreVariables, problems: string[]): StoreConfig {
  if (env.REDIS_URL && !env.PROXY_STATE_KEY) {
    problems.push(
      "PROXY_STATE_KEY is missing: with REDIS_URL every instance must seal and sign with one shared key; make one with `openssl rand -base64 32` and give every instance the same value",
    );
  }
  if (env.REDIS_PASSWORD && !env.REDIS_URL) problems.push("REDIS_URL is missing: REDIS_PASSWORD is for it");
  return {
    redis: env.REDIS_URL ? { url: env.REDIS_URL, password: env.REDIS_PASSWORD } : undefined,
    key: env.PROXY_STATE_KEY ? Buffer.from(env.PROXY_STATE_KEY, "base64") : undefined,
  };
}

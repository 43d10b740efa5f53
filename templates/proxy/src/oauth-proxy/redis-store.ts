import { DEFAULT_LIMITS, type RecordLimits } from "./memory-records.js";
import {
  type Consent,
  MAX_CLIENTS,
  type OneTimeKind,
  type ProxyStore,
  RECORD_TTL_MS,
  type RefreshFamily,
  type RegisteredClient,
  type RevokedFamily,
} from "./proxy-store.js";
import type { RedisConnection } from "./redis-connection.js";
import {
  ADD_CLIENT,
  ADD_RECORD,
  REPLACE_FAMILY,
  REVOKE_FAMILY,
  runScript,
  TAKE_RECORD,
} from "./redis-scripts.js";
import type { StoreHealth } from "./store-health.js";

/** A one-time record as Redis holds it: the value, when it expires, and the group it counts in. */
interface Envelope {
  v: unknown;
  e: number;
  g?: string;
}

/**
 * The proxy's store in Redis, shared by every instance of this server (REDIS_URL). Redis's own expiry
 * removes what has expired; a record's expiry is also written in it and checked against the proxy's
 * clock. Sign-ins, consents and codes are taken by a script (one taker wins on any instance);
 * refresh-token families change by compare-and-set scripts; clients and consents are plain keys,
 * seen by every instance as soon as they are written (an instance keeps the clients it has read: a
 * registration never changes). Every key starts with `{mcp-oauth-proxy:<the
 * server's origin>}:` — one hash tag, so the scripts run on a cluster and servers sharing a Redis
 * keep apart. What it holds is what the file store holds: hashes, and Entra's tokens sealed.
 */
export function createRedisStore(
  redis: RedisConnection,
  options: { origin: string; now: () => number; health: StoreHealth; limits?: RecordLimits },
): ProxyStore {
  const { now, health } = options;
  const limits = options.limits ?? DEFAULT_LIMITS;
  const prefix = `{mcp-oauth-proxy:${options.origin}}:`;
  const keys = {
    record: (kind: OneTimeKind, key: string) => `${prefix}${kind}:${key}`,
    live: (kind: OneTimeKind) => `${prefix}${kind}s`,
    group: (kind: OneTimeKind, group: string) => `${prefix}${kind}s:${group}`,
    client: (id: string) => `${prefix}client:${id}`,
    clients: `${prefix}clients`,
    consent: (userId: string, clientId: string) => `${prefix}consent:${userId} ${clientId}`,
    family: (id: string) => `${prefix}family:${id}`,
  };
  // A registration never changes once written: each instance keeps those it has read.
  const clients = new Map<string, RegisteredClient>();
  const guard = <T>(operation: () => Promise<T>) => health.guard(operation);
  const parse = <T>(raw: unknown): T | undefined =>
    typeof raw === "string" ? (JSON.parse(raw) as T) : undefined;
  const live = <T>(envelope: Envelope | undefined) =>
    envelope && envelope.e > now() ? (envelope.v as T) : undefined;
  const ttl = (expiresAt: number) => Math.max(1, Math.ceil(expiresAt - now()));

  return {
    // Outside guard(): an answer from memory says nothing about whether Redis is reachable.
    client: async (clientId) =>
      clients.get(clientId) ??
      guard(async () => {
        const client = parse<RegisteredClient>(await redis.get(keys.client(clientId)));
        if (client && clients.size < MAX_CLIENTS) clients.set(clientId, client);
        return client;
      }),
    addClient: (client) =>
      guard(async () => {
        const added = await runScript(
          redis,
          ADD_CLIENT,
          [keys.client(client.client_id), keys.clients],
          [JSON.stringify(client), MAX_CLIENTS],
        );
        return added === 1;
      }),

    add: (kind, key, value, group) =>
      guard(async () => {
        const expiresAt = now() + RECORD_TTL_MS[kind];
        const envelope: Envelope = { v: value, e: expiresAt, ...(group !== undefined ? { g: group } : {}) };
        const added = await runScript(
          redis,
          ADD_RECORD,
          [
            keys.record(kind, key),
            keys.live(kind),
            ...(group !== undefined ? [keys.group(kind, group)] : []),
          ],
          [
            JSON.stringify(envelope),
            expiresAt,
            now(),
            RECORD_TTL_MS[kind],
            limits.total,
            limits.perGroup,
            key,
          ],
        );
        return added === 1;
      }),
    get: (kind, key) => guard(async () => live(parse<Envelope>(await redis.get(keys.record(kind, key))))),
    take: (kind, key, leave) =>
      guard(async () => {
        const trace = leave
          ? JSON.stringify({ v: leave.value, e: now() + leave.ttlMs } satisfies Envelope)
          : "";
        const raw = await runScript(
          redis,
          TAKE_RECORD,
          [keys.record(kind, key), keys.live(kind)],
          [now(), key, trace, leave?.ttlMs ?? 0, keys.group(kind, "")],
        );
        return live(parse<Envelope>(raw));
      }),

    consent: (userId, clientId) =>
      guard(async () => parse<Consent>(await redis.get(keys.consent(userId, clientId)))),
    saveConsent: (consent) =>
      guard(async () => {
        await redis.set(keys.consent(consent.userId, consent.clientId), JSON.stringify(consent));
      }),

    family: (id) =>
      guard(async () => {
        const family = parse<RefreshFamily | RevokedFamily>(await redis.get(keys.family(id)));
        return family && family.expiresAt > now() ? family : undefined;
      }),
    createFamily: (family) =>
      guard(async () => {
        const created = await redis.set(keys.family(family.id), JSON.stringify(family), {
          condition: "NX",
          expiration: { type: "PX", value: ttl(family.expiresAt) },
        });
        return created === "OK";
      }),
    replaceFamily: (next, generation) =>
      guard(async () => {
        const replaced = await runScript(
          redis,
          REPLACE_FAMILY,
          [keys.family(next.id)],
          [JSON.stringify(next), generation, now(), ttl(next.expiresAt)],
        );
        return replaced === 1;
      }),
    revokeFamily: (id, until) =>
      guard(async () => {
        await runScript(redis, REVOKE_FAMILY, [keys.family(id)], [id, until, now()]);
      }),

    status: async () => {
      const reachable = await guard(() => redis.ping()).then(
        () => true,
        () => false,
      );
      return { kind: "redis", reachable };
    },
    close: async () => {
      if (redis.isOpen) await redis.close().catch(() => redis.destroy());
    },
  };
}

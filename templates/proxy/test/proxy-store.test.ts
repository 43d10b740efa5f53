import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../src/logger.js";
import { openFileStore } from "../src/oauth-proxy/file-store.js";
import type { RecordLimits } from "../src/oauth-proxy/memory-records.js";
import {
  type PendingSignIn,
  type ProxyStore,
  RECORD_TTL_MS,
  type RefreshFamily,
  type RegisteredClient,
} from "../src/oauth-proxy/proxy-store.js";
import { connectRedis } from "../src/oauth-proxy/redis-connection.js";
import { createRedisStore } from "../src/oauth-proxy/redis-store.js";
import { StoreHealth, StoreUnavailableError } from "../src/oauth-proxy/store-health.js";
import { hasRedisServer, type RedisServer, startRedisServer } from "./helpers/redis-server.js";

/**
 * The store contract (proxy-store.ts), run against both implementations: files + memory (one
 * instance) and Redis (a real redis-server). `open` gives a store on the implementation's shared
 * state: for Redis, a second `open` is another instance (its own connection) of the same server.
 */
interface Implementation {
  name: "files" | "redis";
  open(limits?: RecordLimits): Promise<ProxyStore>;
  clock: { now: number };
}

const signIn = (client: string): PendingSignIn => ({
  clientId: client,
  redirectUri: "http://127.0.0.1:1/cb",
  codeChallenge: "c",
  entraVerifier: "v",
  browser: "b",
});
const family = (id: string, clock: { now: number }): RefreshFamily => ({
  id,
  clientId: "mcp-client",
  resource: "http://localhost/mcp",
  userId: "tenant/user",
  generation: 0,
  expiresAt: clock.now + 60_000,
  entraRefreshToken: "sealed",
});
const registered = (clientId: string, extra: Partial<RegisteredClient> = {}): RegisteredClient => ({
  client_id: clientId,
  client_id_issued_at: 1,
  redirect_uris: ["http://127.0.0.1:1/cb"],
  token_endpoint_auth_method: "none",
  grant_types: ["authorization_code"],
  response_types: ["code"],
  ...extra,
});
const familyId = () => randomBytes(16).toString("base64url");

function storeContract(implementation: () => Implementation) {
  let store: ProxyStore;
  let clock: { now: number };
  beforeAll(async () => {
    clock = implementation().clock;
    store = await implementation().open();
  });

  it("says it is reachable", async () => {
    expect(await store.status()).toEqual({ kind: implementation().name, reachable: true });
  });

  it("gives a one-time record to one taker only, and lets it expire", async () => {
    expect(await store.add("sign-in", "s1", signIn("a"), "a")).toBe(true);
    expect(await store.get("sign-in", "s1")).toMatchObject({ clientId: "a" });
    const takes = await Promise.all(Array.from({ length: 10 }, () => store.take("sign-in", "s1")));
    expect(takes.filter(Boolean)).toHaveLength(1);
    expect(await store.get("sign-in", "s1")).toBeUndefined();
    await store.add("consent", "c1", { ...signIn("a"), user: { id: "u", name: "U" }, tokens: "t" }, "a");
    clock.now += RECORD_TTL_MS.consent;
    expect(await store.get("consent", "c1")).toBeUndefined();
    expect(await store.take("consent", "c1")).toBeUndefined();
  });

  it("leaves a trace in place of a taken record, and none for what was not there", async () => {
    const code = { ...signIn("a"), user: { id: "u", name: "U" }, tokens: "sealed" };
    await store.add("code", "h1", code);
    const trace = { value: { redeemed: true as const, familyId: "f1" }, ttlMs: 600_000 };
    expect(await store.take("code", "h1", trace)).toMatchObject({ clientId: "a" });
    expect(await store.take("code", "h1", trace)).toEqual({ redeemed: true, familyId: "f1" });
    expect(await store.take("code", "never-issued", trace)).toBeUndefined();
    expect(await store.get("code", "never-issued")).toBeUndefined();
  });

  it("refuses new sign-ins when one client has too many in progress, and never drops those in progress", async () => {
    const limited = await implementation().open({ total: 5, perGroup: 2 });
    const add = (key: string, client: string) =>
      limited.add("sign-in", `limits-${key}`, signIn(client), client);
    expect(await add("a1", "a")).toBe(true);
    expect(await add("a2", "a")).toBe(true);
    expect(await add("a3", "a")).toBe(false);
    expect(await limited.get("sign-in", "limits-a1")).toBeDefined();
    expect(await limited.take("sign-in", "limits-a2")).toBeDefined();
    // Others are not held up by it, up to the total; one finished frees a place.
    expect(await add("a3", "a")).toBe(true);
    for (const client of ["b", "c", "d"]) expect(await add(`${client}1`, client)).toBe(true);
    expect(await add("e1", "e")).toBe(false);
    expect(await limited.get("sign-in", "limits-a1")).toBeDefined();
    // Expired sign-ins free their places.
    clock.now += RECORD_TTL_MS["sign-in"];
    expect(await add("e1", "e")).toBe(true);
    expect(await add("a4", "a")).toBe(true);
    await limited.close();
  });

  it("keeps registered clients and consents", async () => {
    const client = registered(`mcp-${familyId()}`);
    expect(await store.addClient(client)).toBe(true);
    expect(await store.client(client.client_id)).toEqual(client);
    expect(await store.client("mcp-unknown")).toBeUndefined();
    const consent = { userId: "t/u", clientId: client.client_id, clientName: "x", allowedAt: 5 };
    await store.saveConsent(consent);
    expect(await store.consent("t/u", client.client_id)).toEqual(consent);
    expect(await store.consent("t/other", client.client_id)).toBeUndefined();
  });

  it("changes a refresh-token family only from the generation it is at, one change of many at once", async () => {
    const first = family(familyId(), clock);
    expect(await store.createFamily(first)).toBe(true);
    expect(await store.createFamily(first)).toBe(false);
    const next = { ...first, generation: 1 };
    const replaced = await Promise.all(Array.from({ length: 8 }, () => store.replaceFamily(next, 0)));
    expect(replaced.filter(Boolean)).toHaveLength(1);
    expect(await store.family(first.id)).toMatchObject({ generation: 1 });
    await store.revokeFamily(first.id, clock.now + 1_000);
    expect(await store.family(first.id)).toMatchObject({ id: first.id, revoked: true });
    expect(await store.replaceFamily({ ...first, generation: 2 }, 1)).toBe(false);
    // Revoked before it was created (a replayed code): it never is.
    const early = family(familyId(), clock);
    await store.revokeFamily(early.id, clock.now + 1_000);
    expect(await store.createFamily(early)).toBe(false);
    clock.now += 60_000;
    expect(await store.family(first.id)).toBeUndefined();
  });
}

describe("the files + memory store", () => {
  const clock = { now: 1_000_000 };
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "proxy-store-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  storeContract(() => ({
    name: "files",
    clock,
    open: async (limits) => openFileStore(join(dir, limits ? "limited" : "state"), () => clock.now, limits),
  }));
});

describe.skipIf(!hasRedisServer())("the Redis store (a real redis-server)", () => {
  const clock = { now: Date.now() };
  let redis: RedisServer;
  const opened: ProxyStore[] = [];
  const origin = `http://localhost:${randomBytes(4).readUInt16BE()}`;
  const open = async (limits?: RecordLimits, logs: string[] = []) => {
    const health = new StoreHealth(
      "redis",
      createLogger((line) => logs.push(line)),
    );
    const connection = await connectRedis({ url: redis.url }, health);
    const store = createRedisStore(connection, {
      origin: limits ? `${origin}/limited` : origin,
      now: () => clock.now,
      health,
      limits,
    });
    opened.push(store);
    return store;
  };
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await Promise.all(opened.map((store) => store.close()));
    await redis?.close();
  });
  storeContract(() => ({ name: "redis", clock, open }));

  it("shares everything between instances: one of them takes a record, clients and consents are seen by all", async () => {
    const [one, two] = [await open(), await open()];
    await one.add("code", "shared", { ...signIn("a"), user: { id: "u", name: "U" }, tokens: "t" });
    const takes = await Promise.all([one, two, one, two].map((store) => store.take("code", "shared")));
    expect(takes.filter(Boolean)).toHaveLength(1);
    const client = registered("mcp-shared", {
      token_endpoint_auth_method: "client_secret_basic",
      client_secret_hash: "hash",
    });
    expect(await one.addClient(client)).toBe(true);
    expect(await two.client("mcp-shared")).toEqual(client);
    await two.saveConsent({ userId: "t/u", clientId: "mcp-shared", allowedAt: 1 });
    expect(await one.consent("t/u", "mcp-shared")).toBeDefined();
  });

  it("answers StoreUnavailableError while Redis is down, logs it once, and recovers by itself", async () => {
    const logs: string[] = [];
    const store = await open(undefined, logs);
    await store.add("sign-in", "before", signIn("a"), "a");
    await redis.stop();
    for (let i = 0; i < 5; i++) {
      await expect(store.take("sign-in", "before")).rejects.toBeInstanceOf(StoreUnavailableError);
    }
    await expect(store.add("sign-in", "during", signIn("a"), "a")).rejects.toBeInstanceOf(
      StoreUnavailableError,
    );
    expect(await store.status()).toEqual({ kind: "redis", reachable: false });
    expect(logs.filter((line) => line.includes("proxy store unreachable"))).toHaveLength(1);
    await redis.start();
    await expect
      .poll(async () => (await store.status()).reachable, { timeout: 15_000, interval: 200 })
      .toBe(true);
    expect(await store.add("sign-in", "after", signIn("a"), "a")).toBe(true);
    expect(await store.take("sign-in", "after")).toBeDefined();
    expect(logs.filter((line) => line.includes("proxy store reachable again"))).toHaveLength(1);
  }, 30_000);
});

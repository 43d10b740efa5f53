import { createHash, randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { decodeJwt } from "jose";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FetchLike } from "../../../src/entra/trust.js";
import { withCookies } from "../../../src/test-flow/sign-in/proxy-consent.js";
import { BrowserOAuthClient } from "../../helpers/browser-oauth-client.js";
import { tempDir, useDevTenant } from "../../helpers/dev-tenant.js";
import {
  freePort,
  renderAndInstall,
  run,
  type SpawnedServer,
  spawnServer,
} from "../../helpers/generated-project.js";
import { type LoadBalancer, startLoadBalancer } from "../../helpers/load-balancer.mjs";
import { connectClient } from "../../helpers/mcp-clients.js";
import { recordOutput } from "../../helpers/output-ledger.js";
import { type ProxyRegistration, registerGeneratedProxy } from "../../helpers/proxy-registration.js";
import { type RedisServer, startRedisServer } from "../../helpers/redis-server.mjs";

/**
 * `proxy` scaled out: two instances of the built server (separate processes and state folders)
 * sharing one real redis-server, behind a load balancer that sends each request where the test says
 * (round robin otherwise), against a dev tenant. Sign-ins cross instances at every hop; codes redeem
 * once across them; an outage of Redis gets 503s and accepts nothing, and passes by itself; an
 * instance killed mid sign-in leaves its sign-ins to the other.
 */

const REDIRECT = "http://127.0.0.1:8976/callback";
const UNREACHABLE = "proxy store unreachable";
/** A request header the test's balancer routes by: the index of the instance to send it to. */
const INSTANCE_HEADER = "x-test-instance";

describe("the proxy template on Redis, two instances behind a load balancer", () => {
  const tenant = useDevTenant();
  let project: string;
  let redis: RedisServer;
  let balancer: LoadBalancer;
  let ports: number[];
  let instances: SpawnedServer[];
  let env: Record<string, string>;
  let registration: ProxyRegistration;
  let origin: string;
  let url: string;
  let fetchTls: FetchLike;
  let clientId: string;

  const startInstance = (index: number) =>
    spawnServer(project, {
      ...env,
      PORT: String(ports[index]),
      PROXY_STATE_DIR: join(project, "..", `state-${index}`),
    });

  beforeAll(async () => {
    project = join(await tempDir("mcp-entra-proxy-redis-"), "proxy-redis");
    await renderAndInstall("proxy", project, { projectName: "proxy-redis", port: "3000" });
    await run("npm", ["run", "build"], { cwd: project });
    redis = await startRedisServer();
    ports = [await freePort(), await freePort()];
    balancer = await startLoadBalancer(ports);
    origin = `http://localhost:${balancer.port}`;
    url = `${origin}/mcp`;
    ({ registration, fetchTls } = await registerGeneratedProxy(tenant(), project, url));
    env = {
      ...registration.env,
      MCP_SERVER_URL: url,
      HOST: "127.0.0.1",
      REDIS_URL: redis.url,
      PROXY_STATE_KEY: randomBytes(32).toString("base64"),
    };
    instances = await Promise.all([startInstance(0), startInstance(1)]);
  }, 400_000);
  afterAll(async () => {
    await Promise.all((instances ?? []).map((instance) => instance.stop("SIGKILL")));
    await balancer?.close();
    await redis?.close();
    if (project) await rm(join(project, ".."), { recursive: true, force: true });
  });

  /** Sends every request to one instance, or each path to the instance the table names. */
  const routeTo = (target?: number | Record<string, number>) =>
    balancer.route((req) => {
      const pinned = req.headers[INSTANCE_HEADER];
      if (typeof pinned === "string") return Number(pinned);
      if (target === undefined) return undefined;
      return typeof target === "number" ? target : target[new URL(req.url ?? "/", origin).pathname];
    });
  const logsOf = (index: number) => instances[index]!.logs.join("\n");
  const count = (text: string, part: string) => text.split(part).length - 1;
  /** A form POST; `instance` sends it to that one (the balancer honours the header). */
  const post = (target: string, body: Record<string, string>, instance?: number) =>
    fetchTls(target, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        ...(instance === undefined ? {} : { [INSTANCE_HEADER]: String(instance) }),
      },
      body: new URLSearchParams(body),
    });

  /** The client's /authorize URL, with its PKCE verifier. */
  const authorizeRequest = (state = "s") => {
    const verifier = randomBytes(32).toString("base64url");
    const authorize = new URL(`${origin}/authorize`);
    for (const [name, value] of Object.entries({
      response_type: "code",
      client_id: clientId,
      redirect_uri: REDIRECT,
      scope: registration.scope,
      resource: url,
      state,
      code_challenge: createHash("sha256").update(verifier).digest("base64url"),
      code_challenge_method: "S256",
    })) {
      authorize.searchParams.set(name, value);
    }
    return { authorize, verifier };
  };

  /** A whole sign-in in a new browser (consent page answered "allow" when shown); the code. */
  const signIn = async () => {
    const provider = new BrowserOAuthClient(fetchTls, { redirectUri: REDIRECT, clientId });
    const { authorize, verifier } = authorizeRequest(provider.state());
    await provider.redirectToAuthorization(authorize);
    return { code: provider.callback().get("code")!, verifier, visited: provider.visited };
  };
  /** A sign-in up to Entra's answer: the browser (its cookie) and the proxy callback it is sent to. */
  const startSignIn = async () => {
    const browser = withCookies(fetchTls);
    const { authorize, verifier } = authorizeRequest();
    const toEntra = await browser(authorize, { redirect: "manual" });
    const fromEntra = await browser(toEntra.headers.get("location")!, { redirect: "manual" });
    const callback = new URL(fromEntra.headers.get("location")!);
    expect(callback.pathname).toBe("/oauth/callback");
    return { browser, callback, verifier };
  };
  const redeem = (code: string, verifier: string, instance?: number) =>
    post(
      `${origin}/token`,
      {
        grant_type: "authorization_code",
        client_id: clientId,
        code,
        redirect_uri: REDIRECT,
        code_verifier: verifier,
        resource: url,
      },
      instance,
    );

  const refresh = (refreshToken: string) =>
    post(`${origin}/token`, {
      grant_type: "refresh_token",
      client_id: clientId,
      refresh_token: refreshToken,
    });

  it("signs in across instances at every hop, refreshes on the other, and serves tools/call through either", async () => {
    routeTo(0);
    const registered = await fetchTls(`${origin}/register`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        client_name: "scaled-out client",
        redirect_uris: [REDIRECT],
        grant_types: ["authorization_code", "refresh_token"],
        token_endpoint_auth_method: "none",
      }),
    });
    expect(registered.status).toBe(201);
    clientId = String(((await registered.json()) as { client_id: string }).client_id);

    routeTo({ "/authorize": 1, "/oauth/callback": 0, "/oauth/consent": 0 });
    const { code, verifier, visited } = await signIn();
    expect(visited.map((hop) => hop.pathname)).toContain("/oauth/consent");
    expect(logsOf(1)).toContain('"message":"sign-in started"');
    expect(logsOf(0)).toContain('"message":"consent given"');

    routeTo({ "/token": 1 });
    const tokens = (await (await redeem(code, verifier)).json()) as Record<string, string>;
    expect(decodeJwt(tokens.access_token!)).toMatchObject({ preferred_username: registration.users.admin });
    expect(logsOf(1)).toContain('"grant":"authorization_code"');

    routeTo({ "/token": 0 });
    const refreshed = await refresh(tokens.refresh_token!);
    expect(refreshed.status).toBe(200);
    expect(logsOf(0)).toContain('"grant":"refresh_token"');
    // The used refresh token comes back at the other instance: reuse, seen there, revokes the family.
    routeTo({ "/token": 1 });
    const reused = await refresh(tokens.refresh_token!);
    expect(reused.status).toBe(400);

    for (const index of [0, 1]) {
      routeTo(index);
      const client = await connectClient("v2 auto", url, fetchTls, { token: tokens.access_token! });
      const me = await client.callTool("whoami");
      expect(me.isError, me.text).toBe(false);
      await client.close();
    }
    routeTo();
  });

  it("completes 100 concurrent sign-ins spread over both, each code redeemed once across instances", async () => {
    const signIns = await Promise.all(Array.from({ length: 100 }, () => signIn()));
    const redeemed = await Promise.all(signIns.map(({ code, verifier }, i) => redeem(code, verifier, i % 2)));
    expect(redeemed.map((response) => response.status)).toEqual(signIns.map(() => 200));
    // Each code again, at both instances at once: spent everywhere.
    const replays = await Promise.all(
      signIns.flatMap(({ code, verifier }) => [0, 1].map((instance) => redeem(code, verifier, instance))),
    );
    expect(replays.map((response) => response.status)).toEqual(replays.map(() => 400));
    for (const index of [0, 1])
      expect(count(logsOf(index), '"message":"sign-in completed"')).toBeGreaterThan(10);
  }, 120_000);

  it("keeps no token or client secret in Redis in the clear", async () => {
    const inspector = createClient({ url: redis.url });
    await inspector.connect();
    let dump = "";
    for await (const keys of inspector.scanIterator({ COUNT: 1000 })) {
      for (const key of keys) {
        const type = await inspector.type(key);
        dump += `${key} ${type === "string" ? await inspector.get(key) : (await inspector.zRange(key, 0, -1)).join(" ")}\n`;
      }
    }
    await inspector.close();
    expect(dump).toContain(clientId);
    expect(dump).not.toMatch(/eyJ[\w-]+\.eyJ|mcp-rt\d\./);
    expect(dump).not.toContain(registration.env.ENTRA_CLIENT_SECRET!);
    // The suite's secret ledger scans it for every token the dev tenant issued.
    recordOutput("redis contents", dump);
  });

  it("answers 503 with Retry-After while Redis is down, accepts nothing, logs it once, and recovers by itself", async () => {
    const before = await signIn();
    const { refresh_token: refreshToken, access_token: accessToken } = (await (
      await redeem(before.code, before.verifier)
    ).json()) as Record<string, string>;
    const pending = await signIn();
    const inProgress = await startSignIn();
    await redis.stop();

    const attempts = await Promise.all([
      redeem(pending.code, pending.verifier),
      refresh(refreshToken!),
      fetchTls(`${origin}/register`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ redirect_uris: [REDIRECT], token_endpoint_auth_method: "none" }),
      }),
      fetchTls(authorizeRequest().authorize, { redirect: "manual" }),
      inProgress.browser(inProgress.callback, { redirect: "manual" }),
      ...Array.from({ length: 12 }, () => redeem(pending.code, pending.verifier)),
    ]);
    for (const response of attempts) {
      expect(response.status).toBe(503);
      expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    for (const port of ports) {
      const health = await fetchTls(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ store: { kind: "redis", reachable: false } });
    }
    // What needs no store goes on: the MCP endpoint checks Entra's tokens itself.
    const client = await connectClient("v2 auto", url, fetchTls, { token: accessToken! });
    expect((await client.callTool("server_time")).isError).toBe(false);
    await client.close();
    for (const index of [0, 1]) expect(count(logsOf(index), UNREACHABLE)).toBe(1);

    await redis.start();
    for (const port of ports) {
      await expect
        .poll(async () => (await fetchTls(`http://127.0.0.1:${port}/healthz`)).status, { timeout: 15_000 })
        .toBe(200);
    }
    const after = await signIn();
    expect((await redeem(after.code, after.verifier)).status).toBe(200);
    for (const index of [0, 1]) expect(logsOf(index)).toContain("proxy store reachable again");
  }, 60_000);

  it("lets the other instance finish the sign-ins a killed one had started", async () => {
    routeTo({ "/authorize": 0 });
    const started = await Promise.all(Array.from({ length: 5 }, () => startSignIn()));
    const completed = count(logsOf(1), '"message":"sign-in completed"');
    await instances[0]!.stop("SIGKILL");
    routeTo();
    for (const { browser, callback, verifier } of started) {
      const answer = await browser(callback, { redirect: "manual" });
      const code = new URL(answer.headers.get("location")!).searchParams.get("code");
      expect(code, await answer.text()).toBeTruthy();
      expect((await redeem(code!, verifier)).status).toBe(200);
    }
    expect(count(logsOf(1), '"message":"sign-in completed"')).toBe(completed + 5);
  });
});

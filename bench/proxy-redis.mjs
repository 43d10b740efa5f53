// Sign-ins per second through the `proxy` template scaled out: two instances sharing a real
// redis-server, behind a load balancer (round robin), against one instance keeping its state in
// files and memory behind the same balancer, alternated in the same run (alternateLoads; the median
// of the rounds' ratios). A sign-in
// is what a returning user's client does: /authorize, Entra (the dev tenant, auto-approve), the
// proxy's callback (the user allowed the client before: no consent page), /token (which starts a
// refresh-token family: the client registered the refresh_token grant, as MCP clients do). Goal: ≥ 0.9× —
// on a 2-core machine that also runs the dev tenant the point is that Redis costs little, not that
// two processes double the rate. A second row, one instance on Redis vs one on files, separates what
// Redis costs from what a second process costs on the same cores.
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { trustedFetch } from "../dist/entra/trust.js";
import { allowOnConsentPage, withCookies } from "../dist/test-flow/sign-in/proxy-consent.js";
import { startLoadBalancer } from "../test/helpers/load-balancer.mjs";
import { freePort, startRedisServer } from "../test/helpers/redis-server.mjs";
import { startChild } from "./lib/child.mjs";
import { alternateLoads } from "./lib/load.mjs";
import { builtTemplate } from "./lib/remote-template.mjs";
import { median, ratioSpread, round } from "./lib/stats.mjs";

const REDIRECT = "http://127.0.0.1:8976/callback";

export async function run({ log }) {
  const project = await builtTemplate("proxy", log);
  const work = await mkdtemp(join(tmpdir(), "mcp-entra-bench-proxy-state-"));
  const stops = [];
  try {
    const redis = await startRedisServer();
    stops.push(() => redis.close());
    const ports = { files: [await freePort()], redis: [await freePort(), await freePort()] };
    const balancers = {
      files: await startLoadBalancer(ports.files),
      redis: await startLoadBalancer(ports.redis),
    };
    stops.push(
      () => balancers.files.close(),
      () => balancers.redis.close(),
    );
    const origins = {
      files: `http://localhost:${balancers.files.port}`,
      redis: `http://localhost:${balancers.redis.port}`,
    };
    const tenant = await startChild(
      fileURLToPath(new URL("./lib/proxy-tenant-process.mjs", import.meta.url)),
      [JSON.stringify([`${origins.files}/mcp`, `${origins.redis}/mcp`])],
    );
    stops.push(() => tenant.stop());
    const [filesEnv, redisEnv] = tenant.info.envs;
    const key = randomBytes(32).toString("base64");
    const start = (env, port, extra) =>
      startServer(project, { ...env, ...extra, PORT: String(port), HOST: "127.0.0.1" }, tenant.info.caFile);
    const servers = [
      await start(filesEnv, ports.files[0], {
        MCP_SERVER_URL: `${origins.files}/mcp`,
        PROXY_STATE_DIR: join(work, "files"),
      }),
      ...(await Promise.all(
        ports.redis.map((port, index) =>
          start(redisEnv, port, {
            MCP_SERVER_URL: `${origins.redis}/mcp`,
            PROXY_STATE_DIR: join(work, `redis-${index}`),
            REDIS_URL: redis.url,
            PROXY_STATE_KEY: key,
          }),
        ),
      )),
    ];
    stops.push(...servers.map((server) => server.stop));
    const fetchTls = trustedFetch([tenant.info.caPem]);
    const scope = (env) => env.MCP_SCOPE ?? `${env.ENTRA_APP_ID_URI}/user_impersonation`;
    const clients = {
      files: await firstSignIn(fetchTls, origins.files, scope(filesEnv)),
      redis: await firstSignIn(fetchTls, origins.redis, scope(redisEnv)),
    };
    log("  sign-ins: two instances on Redis vs one on files, alternated");
    const signIn = (origin, clientId, env) => async (client) => {
      const { authorize, verifier } = authorizeUrl(origin, clientId, scope(env));
      const toEntra = await client.send(authorize);
      const cookie = String(toEntra.headers["set-cookie"]).split(";")[0];
      const fromEntra = await client.send(String(toEntra.headers.location));
      const answer = await client.send(String(fromEntra.headers.location), { headers: { cookie } });
      const code = new URL(String(answer.headers.location)).searchParams.get("code");
      if (!code) throw new Error(`No code: ${answer.status} ${String(answer.headers.location)}`);
      const token = await client.send(`${origin}/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "authorization_code",
          client_id: clientId,
          code,
          redirect_uri: REDIRECT,
          code_verifier: verifier,
        }).toString(),
      });
      if (token.status !== 200) throw new Error(`/token: HTTP ${token.status} ${token.text.slice(0, 200)}`);
    };
    const onFiles = signIn(origins.files, clients.files, filesEnv);
    const redisSignIn = signIn(origins.redis, clients.redis, redisEnv);
    // The balancer in front of the Redis pair: both in turn, or only the first (Redis's own cost).
    const through = (instances) => async (client) => {
      balancers.redis.route(instances === 2 ? undefined : () => 0);
      await redisSignIn(client);
    };
    const options = { ca: tenant.info.caPem, concurrency: 8, rounds: 6 };
    const twoVsFiles = await alternateLoads([through(2), onFiles], options);
    log("  sign-ins: one instance on Redis vs one on files, alternated");
    const oneVsFiles = await alternateLoads([through(1), onFiles], options);
    return [
      row("proxy sign-ins/s: two instances on Redis vs one on files", twoVsFiles, 0.9),
      row("proxy sign-ins/s: one instance on Redis vs one on files (Redis's own cost)", oneVsFiles),
    ];
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await rm(work, { recursive: true, force: true });
  }
}

/** A row: the median of the rounds' ratios (their spread), measured against the files baseline. */
function row(name, [measured, files], goal) {
  const ratios = ratioSpread(measured.map((slice, index) => slice.perSecond / files[index].perSecond));
  const errors = [...measured, ...files].reduce((sum, slice) => sum + slice.errors, 0);
  const middle = (slices, field) => round(median(slices.map((slice) => slice[field])), 1);
  return {
    name: `${name}, median of ${measured.length} rounds (spread)`,
    value: `${middle(measured, "perSecond")}/s (p50 ${middle(measured, "p50")} ms)`,
    baseline: `${middle(files, "perSecond")}/s (p50 ${middle(files, "p50")} ms)`,
    ratio: `${round(ratios.median)} (${round(ratios.min)}–${round(ratios.max)})`,
    goal: goal ? `≥ ${goal}` : "—",
    pass: (!goal || ratios.median >= goal) && errors === 0,
  };
}

/** The client's /authorize URL with a fresh PKCE pair. */
function authorizeUrl(origin, clientId, scope) {
  const verifier = randomBytes(32).toString("base64url");
  const url = new URL(`${origin}/authorize`);
  for (const [name, value] of Object.entries({
    response_type: "code",
    client_id: clientId,
    redirect_uri: REDIRECT,
    scope,
    state: "bench",
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
  })) {
    url.searchParams.set(name, value);
  }
  return { authorize: url.href, verifier };
}

/** Registers a client (DCR) and signs in once, allowing it on the consent page; its client_id. */
async function firstSignIn(fetchTls, origin, scope) {
  const registered = await fetchTls(`${origin}/register`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    // As MCP clients register: with refresh tokens, so each sign-in starts a refresh-token family.
    body: JSON.stringify({
      redirect_uris: [REDIRECT],
      grant_types: ["authorization_code", "refresh_token"],
      token_endpoint_auth_method: "none",
    }),
  });
  const { client_id: clientId } = await registered.json();
  const browser = withCookies(fetchTls);
  let next = authorizeUrl(origin, clientId, scope).authorize;
  while (!next.startsWith(REDIRECT)) {
    const response = await browser(next, { redirect: "manual" });
    if (response.status === 200) {
      next = await allowOnConsentPage(
        browser,
        { url: next, html: await response.text() },
        { clientId, allowed() {} },
      );
      continue;
    }
    if (!response.headers.get("location")) throw new Error(`${next}: HTTP ${response.status}`);
    next = new URL(response.headers.get("location"), next).href;
  }
  return clientId;
}

/** `node dist/main.js` of the project, trusting the dev tenant; resolves once /healthz answers 200. */
async function startServer(project, env, caFile) {
  const child = spawn(process.execPath, ["dist/main.js"], {
    cwd: project,
    env: { ...process.env, ...env, NODE_EXTRA_CA_CERTS: caFile },
    stdio: "ignore",
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  for (let attempt = 0; ; attempt++) {
    const ok = await fetch(`http://127.0.0.1:${env.PORT}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (attempt > 100 || child.exitCode !== null) throw new Error(`The proxy did not start (${env.PORT})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    stop: async () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

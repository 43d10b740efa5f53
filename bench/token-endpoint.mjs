// The dev tenant's token endpoint under load (16 requests in flight, keep-alive HTTPS), each goal a
// ratio taken round by round in the same run; the table shows the median round and the spread.
// - Client credentials (one token per request) and auth code + PKCE (authorize, then token: access
//   and id token) against oauth2-mock-server, the npm package (bench/package.json), on HTTPS with the
//   same certificate, in its own process as the tenant is: requests per second, goal ≥ 1.5×.
// - Client credentials' CPU per token against a bare signer (lib/bare-signer-process.mjs: a plain
//   node:https server that answers with the same token, signed the same way, and does nothing else):
//   each server process's CPU time (/proc) over the slice, per token answered; goal ≤ 1.2×. Beside
//   it, the floor of any endpoint served through express: the same bare signer as the one route of a
//   bare express app, same measure.
// - Signing alone: jose's SignJWT against the tenant's hand-built JWS (lib/jws-signing.mjs), CPU per
//   signature; the tenant signs with jose when it costs no more.
// The machine is shared, so wall-clock rates drift: slices alternate (A B, B A, …) so both sides
// meet the same background load, and CPU time stands beside the rates.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startChild } from "./lib/child.mjs";
import { alternateLoads } from "./lib/load.mjs";
import { pkcePair } from "./lib/pkce.mjs";
import { median, ratioSpread, round } from "./lib/stats.mjs";

const here = (file) => fileURLToPath(new URL(file, import.meta.url));
const ROUNDS = 5;
/** Unmeasured load on each server before the first round: the tenant's JIT settles in about 5 s. */
const WARMUP_MS = 6000;
const form = (fields) => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(fields).toString(),
});

function ok(response) {
  if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${response.text.slice(0, 200)}`);
  return response;
}

async function authCodeFlow(client, authorizeUrl, tokenUrl, fields) {
  const { verifier, challenge } = pkcePair();
  const query = new URLSearchParams({
    response_type: "code",
    redirect_uri: "http://localhost/callback",
    code_challenge: challenge,
    code_challenge_method: "S256",
    state: "s",
    ...fields,
  });
  const redirect = await client.send(`${authorizeUrl}?${query}`);
  const location = redirect.headers.location;
  const code = location && new URL(location).searchParams.get("code");
  if (!code) throw new Error(`no code (HTTP ${redirect.status})`);
  ok(
    await client.send(
      tokenUrl,
      form({
        grant_type: "authorization_code",
        code,
        code_verifier: verifier,
        redirect_uri: "http://localhost/callback",
        ...fields,
      }),
    ),
  );
}

export async function run({ log }) {
  const tenant = await startChild(here("./lib/tenant-process.mjs"));
  const t = tenant.info;
  const mock = await startChild(here("./lib/mock-server-process.mjs"), [t.home]);
  const signer = (mode) =>
    startChild(here("./lib/bare-signer-process.mjs"), [t.home, JSON.stringify(t.appTokenShape), mode]);
  const bare = await signer("node");
  const expressSigner = await signer("express");
  const ca = t.caPem;
  const tokenUrl = `${t.url}/${t.tenantId}/oauth2/v2.0/token`;
  const scope = `api://${t.apiAppId}/.default`;
  const credentials = {
    grant_type: "client_credentials",
    client_id: t.confidentialId,
    client_secret: t.secret,
    scope,
  };
  const clientCredentials = {
    tenant: async (client) => ok(await client.send(tokenUrl, form(credentials))),
    mock: async (client) =>
      ok(
        await client.send(
          `${mock.info.url}/token`,
          form({ grant_type: "client_credentials", client_id: "c", scope }),
        ),
      ),
    bare: async (client) => ok(await client.send(`${bare.info.url}/token`, form(credentials))),
    express: async (client) =>
      ok(await client.send(`${expressSigner.info.url}/${t.tenantId}/oauth2/v2.0/token`, form(credentials))),
  };
  const authCode = {
    tenant: (client) =>
      authCodeFlow(client, `${t.url}/${t.tenantId}/oauth2/v2.0/authorize`, tokenUrl, {
        client_id: t.publicId,
        scope: `api://${t.apiAppId}/user_impersonation openid profile`,
      }),
    mock: (client) =>
      authCodeFlow(client, `${mock.info.url}/authorize`, `${mock.info.url}/token`, {
        client_id: "c",
        scope: "openid profile",
      }),
  };
  try {
    log("  client credentials: dev tenant and oauth2-mock-server, alternating");
    const cc = await alternateLoads([clientCredentials.tenant, clientCredentials.mock], {
      ca,
      rounds: ROUNDS,
      firstWarmupMs: WARMUP_MS,
    });
    log("  auth code + PKCE: dev tenant and oauth2-mock-server, alternating");
    const ac = await alternateLoads([authCode.tenant, authCode.mock], {
      ca,
      rounds: ROUNDS,
      firstWarmupMs: WARMUP_MS,
    });
    log("  client credentials: CPU per token, dev tenant, bare signer, bare signer in express, alternating");
    const [cpuTenant, cpuBare, cpuExpress] = await alternateLoads(
      [
        { iteration: clientCredentials.tenant, cpuSeconds: tenant.cpuSeconds },
        { iteration: clientCredentials.bare, cpuSeconds: bare.cpuSeconds },
        { iteration: clientCredentials.express, cpuSeconds: expressSigner.cpuSeconds },
      ],
      { ca, rounds: ROUNDS, firstWarmupMs: WARMUP_MS },
    );
    log("  signing alone: jose against the hand-built JWS, alternating");
    const signing = await signingCost(t.appTokenShape.claims);
    return [
      throughput("Token endpoint: client credentials (req/s)", cc),
      throughput("Token endpoint: auth code + PKCE (flows/s)", ac),
      cpuPerToken("Client credentials: CPU per token vs a bare signer (same token)", cpuTenant, cpuBare, 1.2),
      cpuPerToken(
        "Floor: the bare signer as the one route of a bare express app, same measure",
        cpuExpress,
        cpuBare,
      ),
      signing,
    ];
  } finally {
    await expressSigner.stop();
    await bare.stop();
    await mock.stop();
    await tenant.stop();
  }
}

const spreadText = ({ median: middle, min, max }) => `${round(middle)} (${round(min)}–${round(max)})`;
const middle = (slices, field) => round(median(slices.map((slice) => slice[field])), 3);
const perRound = (ours, theirs, field) => ours.map((slice, index) => slice[field] / theirs[index][field]);

/** Requests per second against oauth2-mock-server: the median round's ratio, goal ≥ 1.5. */
function throughput(name, [ours, theirs]) {
  const ratios = ratioSpread(perRound(ours, theirs, "perSecond"));
  const errors = ours.reduce((sum, slice) => sum + slice.errors, 0);
  return {
    name: `${name}, median of ${ours.length} rounds (spread)`,
    value: `${middle(ours, "perSecond")}/s (p50 ${middle(ours, "p50")} ms, p99 ${middle(ours, "p99")} ms${errors ? `, ${errors} errors` : ""})`,
    baseline: `oauth2-mock-server: ${middle(theirs, "perSecond")}/s (p50 ${middle(theirs, "p50")} ms)`,
    ratio: spreadText(ratios),
    goal: "≥ 1.50",
    pass: ratios.median >= 1.5 && errors === 0,
  };
}

/** CPU per token against the bare signer's: the median round's ratio, against `goal` if given. */
function cpuPerToken(name, ours, bare, goal) {
  const row = { name: `${name}, median round (spread)`, goal: goal ? `≤ ${goal.toFixed(2)}` : "— (floor)" };
  if (ours[0].cpuMs === undefined || bare[0].cpuMs === undefined) {
    return { ...row, value: "no /proc", baseline: "—", ratio: "—", pass: !goal };
  }
  const ratios = ratioSpread(perRound(ours, bare, "cpuMs"));
  return {
    ...row,
    value: `${middle(ours, "cpuMs")} ms at ${middle(ours, "perSecond")}/s`,
    baseline: `bare node:https signer: ${middle(bare, "cpuMs")} ms at ${middle(bare, "perSecond")}/s`,
    ratio: spreadText(ratios),
    pass: !goal || ratios.median <= goal,
  };
}

/** jose's SignJWT against the hand-built JWS, in a process of its own: CPU per signature. */
async function signingCost(claims) {
  const { stdout } = await promisify(execFile)(process.execPath, [
    here("./lib/jws-signing.mjs"),
    JSON.stringify(claims),
    String(ROUNDS + 2),
  ]);
  const { hand, jose } = JSON.parse(stdout);
  const ratios = ratioSpread(perRound(jose, hand, "cpuMs"));
  return {
    name: "Signing an access token: jose (WebCrypto) vs the hand-built JWS (node:crypto), CPU per signature",
    value: `jose: ${middle(jose, "cpuMs")} ms (${round(median(jose.map((s) => s.perSecond)), 0)}/s)`,
    baseline: `hand-built: ${middle(hand, "cpuMs")} ms (${round(median(hand.map((s) => s.perSecond)), 0)}/s)`,
    ratio: spreadText(ratios),
    goal: "> 1.00 keeps the hand-built JWS",
    pass: ratios.median > 1,
  };
}

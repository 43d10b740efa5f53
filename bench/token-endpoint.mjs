// Dev tenant token endpoint under load, next to oauth2-mock-server and the machine's raw RS256
// signing rate: client credentials (one signature per request) and auth code + PKCE (authorize +
// token: access token and id token, two signatures per flow). Throughput against oauth2-mock-server
// is compared in alternating slices (A B A B …) so drifting background load hits both alike. The
// signing limit is taken on the cores the dev tenant actually used (its CPU seconds per second under
// load, from /proc): the issue's "≥70% of the signing limit on the cores used" — at most 30% of its
// CPU goes to anything but signing. The load generator shares the machine, so all cores are never
// the server's alone; the whole machine's rate is shown beside it. The floor: the same measure for a
// bare node:https server that does nothing but sign (lib/bare-signer-process.mjs) — TLS, HTTP and the
// signature's own overhead already cost that much — and the dev tenant's CPU per token against it.
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { startChild } from "./lib/child.mjs";
import { compareLoads, runLoad } from "./lib/load.mjs";
import { pkcePair } from "./lib/pkce.mjs";
import { signRateAllCores, signRateOneThread } from "./lib/signing.mjs";
import { round } from "./lib/stats.mjs";

const here = (file) => fileURLToPath(new URL(file, import.meta.url));
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
    ...fields.authorize,
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
        ...fields.token,
      }),
    ),
  );
}

export async function run({ log }) {
  const tenant = await startChild(here("./lib/tenant-process.mjs"));
  const mock = await startChild(here("./lib/mock-server-process.mjs"), [tenant.info.home]);
  const bare = await startChild(here("./lib/bare-signer-process.mjs"), [tenant.info.home]);
  const t = tenant.info;
  const ca = t.caPem;
  const tokenUrl = `${t.url}/${t.tenantId}/oauth2/v2.0/token`;
  const scope = `api://${t.apiAppId}/.default`;
  const userScope = `api://${t.apiAppId}/user_impersonation openid profile`;
  const bareRequest = form({ grant_type: "client_credentials", client_id: t.confidentialId, scope });
  const clientCredentials = {
    tenant: async (client) =>
      ok(
        await client.send(
          tokenUrl,
          form({
            grant_type: "client_credentials",
            client_id: t.confidentialId,
            client_secret: t.secret,
            scope,
          }),
        ),
      ),
    mock: async (client) =>
      ok(
        await client.send(
          `${mock.info.url}/token`,
          form({ grant_type: "client_credentials", client_id: "c", scope }),
        ),
      ),
  };
  const authCode = {
    tenant: (client) =>
      authCodeFlow(client, `${t.url}/${t.tenantId}/oauth2/v2.0/authorize`, tokenUrl, {
        authorize: { client_id: t.publicId, scope: userScope },
        token: { client_id: t.publicId, scope: userScope },
      }),
    mock: (client) =>
      authCodeFlow(client, `${mock.info.url}/authorize`, `${mock.info.url}/token`, {
        authorize: { client_id: "c", scope: "openid profile" },
        token: { client_id: "c", scope: "openid profile" },
      }),
  };
  try {
    log("  client credentials: dev tenant and oauth2-mock-server, alternating");
    const [ccTenant, ccMock] = await compareLoads(clientCredentials.tenant, clientCredentials.mock, { ca });
    log("  auth code + PKCE: dev tenant and oauth2-mock-server, alternating");
    const [acTenant, acMock] = await compareLoads(authCode.tenant, authCode.mock, { ca });
    log("  raw RS256 signing: one thread, and all cores");
    const oneThread = signRateOneThread();
    const cores = availableParallelism();
    const allCores = await signRateAllCores(cores);
    log("  signing efficiency: the dev tenant's CPU time under each load, and a bare signer's");
    const ccCpu = await loadWithCpu(tenant, clientCredentials.tenant, ca);
    const acCpu = await loadWithCpu(tenant, authCode.tenant, ca);
    const bareCpu = await loadWithCpu(bare, (client) => client.send(bare.info.url, bareRequest).then(ok), ca);
    return [
      row("Token endpoint: client credentials (req/s)", ccTenant, ccMock, "oauth2-mock-server", 1.0),
      row("Token endpoint: auth code + PKCE (flows/s)", acTenant, acMock, "oauth2-mock-server", 1.0),
      efficiency(
        "Client credentials vs raw RS256 signing on the cores it used",
        ccCpu,
        1,
        oneThread,
        allCores,
        cores,
      ),
      efficiency(
        "Auth code + PKCE vs raw RS256 signing on the cores it used",
        acCpu,
        2,
        oneThread,
        allCores,
        cores,
      ),
      {
        ...efficiency(
          "Floor: a bare node:https server that only signs, same measure",
          bareCpu,
          1,
          oneThread,
          allCores,
          cores,
        ),
        goal: "— (floor)",
        pass: true,
      },
      cpuPerToken(ccCpu, bareCpu),
    ];
  } finally {
    await bare.stop();
    await mock.stop();
    await tenant.stop();
  }
}

/**
 * A load against the dev tenant alone, with the tenant process's CPU time over the measured window:
 * the cores it used (CPU seconds per second), so its signing rate can be set against what those
 * cores sign when they do nothing else.
 */
async function loadWithCpu(tenant, iteration, ca) {
  await runLoad({ ca, iteration, durationMs: 1500, warmupMs: 0 });
  const before = tenant.cpuSeconds();
  const started = performance.now();
  const result = await runLoad({ ca, iteration, durationMs: 6000, warmupMs: 0 });
  const seconds = (performance.now() - started) / 1000;
  const after = tenant.cpuSeconds();
  return { ...result, coresUsed: before === undefined ? undefined : (after - before) / seconds };
}

function efficiency(name, load, signaturesPerIteration, oneThread, allCores, cores) {
  const signatures = load.perSecond * signaturesPerIteration;
  const machineLimit = `machine: ${allCores}/s on ${cores} cores`;
  if (load.coresUsed === undefined) {
    const ratio = round(signatures / allCores);
    return {
      name,
      value: `${round(signatures, 0)} signatures/s`,
      baseline: `${machineLimit} (no /proc: ratio to all cores)`,
      ratio,
      goal: "≥ 0.70",
      pass: ratio >= 0.7,
    };
  }
  const limit = oneThread * load.coresUsed;
  const ratio = round(signatures / limit);
  return {
    name,
    value: `${round(signatures, 0)} signatures/s on ${round(load.coresUsed, 2)} cores`,
    baseline: `${round(oneThread, 0)}/s per core → ${round(limit, 0)}/s on ${round(load.coresUsed, 2)} cores (${machineLimit})`,
    ratio,
    goal: "≥ 0.70",
    pass: ratio >= 0.7,
  };
}

/** The dev tenant's CPU time per client-credentials token against the bare signer's, same load. */
function cpuPerToken(ours, bare) {
  const perToken = (load) => (load.coresUsed * 1000) / load.perSecond;
  if (ours.coresUsed === undefined || bare.coresUsed === undefined) {
    return { name: "Client credentials: CPU per token vs the bare signer", value: "no /proc", pass: true };
  }
  return {
    name: "Client credentials: CPU per token vs the bare signer",
    value: `${round(perToken(ours), 3)} ms`,
    baseline: `bare signer: ${round(perToken(bare), 3)} ms`,
    ratio: round(perToken(ours) / perToken(bare)),
    goal: "—",
    pass: true,
  };
}

function row(name, ours, theirs, baselineName, goal) {
  const ratio = round(ours.perSecond / theirs.perSecond);
  return {
    name,
    value: `${ours.perSecond}/s (p50 ${ours.p50} ms, p99 ${ours.p99} ms${ours.errors ? `, ${ours.errors} errors` : ""})`,
    baseline: `${baselineName}: ${theirs.perSecond}/s (p50 ${theirs.p50} ms)`,
    ratio,
    goal: `≥ ${goal.toFixed(2)}`,
    pass: ratio >= goal && ours.errors === 0,
  };
}

// Dev tenant token endpoint under load, next to oauth2-mock-server and the machine's raw RS256
// signing rate: client credentials (one signature per request) and auth code + PKCE (authorize +
// token: access token and id token, two signatures per flow).
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { startChild } from "./lib/child.mjs";
import { runLoad } from "./lib/load.mjs";
import { pkcePair } from "./lib/pkce.mjs";
import { signRateAllCores } from "./lib/signing.mjs";
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
  const t = tenant.info;
  const ca = t.caPem;
  const rows = [];
  try {
    const tokenUrl = `${t.url}/${t.tenantId}/oauth2/v2.0/token`;
    const scope = `api://${t.apiAppId}/.default`;
    log("  client credentials: dev tenant");
    const ccTenant = await runLoad({
      ca,
      iteration: async (client) =>
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
    });
    log("  client credentials: oauth2-mock-server");
    const ccMock = await runLoad({
      ca,
      iteration: async (client) =>
        ok(
          await client.send(
            `${mock.info.url}/token`,
            form({ grant_type: "client_credentials", client_id: "c", scope }),
          ),
        ),
    });
    log("  auth code + PKCE: dev tenant");
    const acTenant = await runLoad({
      ca,
      iteration: (client) =>
        authCodeFlow(client, `${t.url}/${t.tenantId}/oauth2/v2.0/authorize`, tokenUrl, {
          authorize: {
            client_id: t.publicId,
            scope: `api://${t.apiAppId}/user_impersonation openid profile`,
          },
          token: { client_id: t.publicId, scope: `api://${t.apiAppId}/user_impersonation openid profile` },
        }),
    });
    log("  auth code + PKCE: oauth2-mock-server");
    const acMock = await runLoad({
      ca,
      iteration: (client) =>
        authCodeFlow(client, `${mock.info.url}/authorize`, `${mock.info.url}/token`, {
          authorize: { client_id: "c", scope: "openid profile" },
          token: { client_id: "c", scope: "openid profile" },
        }),
    });
    const cores = availableParallelism();
    log(`  raw RS256 signing on ${cores} cores`);
    const limit = await signRateAllCores(cores);

    rows.push(
      row("Token endpoint: client credentials (req/s)", ccTenant, ccMock, "oauth2-mock-server", 1.0),
      row("Token endpoint: auth code + PKCE (flows/s)", acTenant, acMock, "oauth2-mock-server", 1.0),
      {
        name: "Client credentials vs raw RS256 signing limit",
        value: `${ccTenant.perSecond} signatures/s`,
        baseline: `${limit}/s on ${cores} cores`,
        ratio: round(ccTenant.perSecond / limit),
        goal: "≥ 0.70",
        pass: ccTenant.perSecond / limit >= 0.7,
      },
      {
        name: "Auth code + PKCE vs raw RS256 signing limit",
        value: `${round(acTenant.perSecond * 2, 1)} signatures/s`,
        baseline: `${limit}/s on ${cores} cores`,
        ratio: round((acTenant.perSecond * 2) / limit),
        goal: "≥ 0.70",
        pass: (acTenant.perSecond * 2) / limit >= 0.7,
      },
    );
  } finally {
    await mock.stop();
    await tenant.stop();
  }
  return rows;
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

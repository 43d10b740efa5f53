// The `remote` template's MCP endpoint under load (tools/list on revision 2026-07-28 with a delegated
// token from the dev tenant), with token validation and with validation switched off in the same
// process: the cost of validating every token.
import { fileURLToPath } from "node:url";
import { startChild } from "./lib/child.mjs";
import { compareLoads } from "./lib/load.mjs";
import { builtRemoteTemplate } from "./lib/remote-template.mjs";
import { round } from "./lib/stats.mjs";

const here = (file) => fileURLToPath(new URL(file, import.meta.url));

export async function run({ log }) {
  const templateDir = await builtRemoteTemplate(log);
  const tenant = await startChild(here("./lib/tenant-process.mjs"));
  const t = tenant.info;
  const env = {
    ENTRA_TENANT_ID: t.tenantId,
    ENTRA_AUTHORITY_HOST: t.url,
    ENTRA_CLIENT_ID: t.apiAppId,
    ENTRA_APP_ID_URI: `api://${t.apiAppId}`,
    ENTRA_CLIENT_SECRET: "not-used-by-tools-list",
    GRAPH_BASE_URL: `${t.url}/v1.0`,
    MCP_SERVER_URL: "http://localhost:3000/mcp",
    RATE_LIMIT_PER_MINUTE: "1000000",
  };
  // The server trusts the dev tenant (its signing keys) as any Node program does: NODE_EXTRA_CA_CERTS.
  const servers = await startChild(here("./lib/mcp-server-process.mjs"), [templateDir, JSON.stringify(env)], {
    env: { ...process.env, NODE_EXTRA_CA_CERTS: t.caFile },
  }).catch(async (error) => {
    await tenant.stop();
    throw error;
  });
  // A 2026-07-28 request, as the v2 SDK client sends it: standard headers and the _meta envelope.
  const body = JSON.stringify({
    jsonrpc: "2.0",
    id: 1,
    method: "tools/list",
    params: {
      _meta: {
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientCapabilities": {},
        "io.modelcontextprotocol/clientInfo": { name: "bench", version: "1.0.0" },
      },
    },
  });
  const call = (origin) => async (client) => {
    const response = await client.send(`${origin}/mcp`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${t.userToken}`,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-protocol-version": "2026-07-28",
        "mcp-method": "tools/list",
      },
      body,
    });
    if (response.status !== 200 || !response.text.includes('"resultType":"complete"')) {
      throw new Error(`HTTP ${response.status}: ${response.text.slice(0, 200)}`);
    }
  };
  try {
    log("  tools/list with and without token validation, alternated");
    const [validated, unvalidated] = await compareLoads(
      call(servers.info.validated),
      call(servers.info.unvalidated),
    );
    const ratio = round(validated.perSecond / unvalidated.perSecond);
    return [
      {
        name: "Protected MCP server (2026-07-28): with validation vs without",
        value: `${validated.perSecond} req/s (p50 ${validated.p50} ms)`,
        baseline: `${unvalidated.perSecond} req/s (p50 ${unvalidated.p50} ms)`,
        ratio,
        goal: "≥ 0.85",
        pass: ratio >= 0.85 && validated.errors === 0,
      },
    ];
  } finally {
    await servers.stop();
    await tenant.stop();
  }
}

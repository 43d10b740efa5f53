// Runs a dev tenant in its own process for the proxy benchmark: registers the `proxy` template once
// per server URL given (argv[2], a JSON array) with the real `register --preset proxy`, turns
// auto-approve on for its admin user, and prints each registration's .env as one JSON line. Stops on
// SIGTERM.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { registerInDevTenant } from "../../dist/index.js";
import { startDevTenant } from "../../dist/tenant/index.js";

const serverUrls = JSON.parse(process.argv[2]);
const home = await mkdtemp(join(tmpdir(), "mcp-entra-bench-proxy-"));
const tenant = await startDevTenant({ home, port: 0 });
const envs = [];
for (const [index, serverUrl] of serverUrls.entries()) {
  const { env } = await registerInDevTenant(tenant, {
    preset: "proxy",
    dir: join(home, `server-${index}`),
    serverUrl,
  });
  envs.push(env);
}
await tenant.store.commit((state) => {
  state.settings.autoApproveUserId = state.administrators[0];
});
process.stdout.write(
  `${JSON.stringify({ url: tenant.url, caPem: tenant.caPem, caFile: tenant.caFile, envs })}\n`,
);
process.once("SIGTERM", async () => {
  await tenant.stop();
  process.exit(0);
});

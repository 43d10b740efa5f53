// oauth2-mock-server (the baseline) on HTTPS with the dev tenant's localhost certificate, so the
// load generator trusts both servers the same way. Prints {url} as one JSON line; stops on SIGTERM.
import { join } from "node:path";
import { OAuth2Server } from "oauth2-mock-server";

const tenantDir = join(process.argv[2], "dev-tenant");
const server = new OAuth2Server(join(tenantDir, "tls-key.pem"), join(tenantDir, "tls-cert.pem"));
await server.issuer.keys.generate("RS256");
await server.start(0, "127.0.0.1");
const port = server.address().port;
process.stdout.write(`${JSON.stringify({ url: `https://localhost:${port}`, pid: process.pid })}\n`);
process.once("SIGTERM", async () => {
  await server.stop();
  process.exit(0);
});

// Two instances of the remote template's app in one process, identical except for token
// validation: one with the real validator (jose, the tenant's JWKS), one that trusts any token's
// claims without checking them. Prints both URLs as one JSON line; stops on SIGTERM.
import { decodeJwt } from "jose";

const [templateDir, envJson] = process.argv.slice(2);
const load = (path) => import(new URL(`file://${templateDir}/dist/${path}`).href);
const { loadConfig } = await load("config.js");
const { createApp } = await load("app.js");
const { listen, createServer } = await load("http-server.js");

const silent = { info() {}, warn() {}, error() {} };
const started = [];
for (const validated of [true, false]) {
  const config = loadConfig({ ...JSON.parse(envJson), PORT: "0" });
  // The real validator is createApp's default; the other trusts the token's claims unchecked.
  const unvalidated = validated
    ? {}
    : {
        validateToken: async (token) => {
          const claims = decodeJwt(token);
          return {
            kind: "user",
            objectId: claims.oid,
            tenantId: claims.tid,
            clientId: claims.azp,
            scopes: String(claims.scp).split(" "),
            roles: [],
            expiresAt: claims.exp,
            token,
          };
        },
      };
  const app = createApp(config, silent, { graph: {}, ...unvalidated });
  const running = await listen(createServer(config, app), 0, "127.0.0.1");
  started.push(running);
}
process.stdout.write(`${JSON.stringify({ validated: started[0].origin, unvalidated: started[1].origin })}\n`);
process.once("SIGTERM", async () => {
  await Promise.all(started.map((server) => server.close()));
  process.exit(0);
});

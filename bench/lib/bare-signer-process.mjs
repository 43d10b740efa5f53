// The floor for the token endpoint's signing efficiency: a bare node:https server (the dev tenant's
// localhost certificate) that answers every POST with one RS256-signed JWT and nothing else — no
// routing, no client authentication, no claims beyond a few. It signs as the dev tenant does
// (node:crypto's callback form, on the thread pool). Prints {url} as one JSON line; stops on SIGTERM.
import { generateKeyPairSync, randomUUID, sign } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:https";
import { join } from "node:path";

const tenantDir = join(process.argv[2], "dev-tenant");
const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const header = Buffer.from(JSON.stringify({ typ: "JWT", alg: "RS256" })).toString("base64url");

const server = createServer(
  { cert: readFileSync(join(tenantDir, "tls-cert.pem")), key: readFileSync(join(tenantDir, "tls-key.pem")) },
  (req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      const form = new URLSearchParams(body);
      const now = Math.floor(Date.now() / 1000);
      const claims = {
        aud: form.get("scope"),
        sub: form.get("client_id"),
        jti: randomUUID(),
        iat: now,
        exp: now + 3600,
      };
      const input = `${header}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}`;
      sign("sha256", Buffer.from(input), privateKey, (error, signature) => {
        const text = JSON.stringify({
          token_type: "Bearer",
          expires_in: 3600,
          access_token: `${input}.${signature.toString("base64url")}`,
        });
        res.writeHead(error ? 500 : 200, {
          "content-type": "application/json; charset=utf-8",
          "content-length": Buffer.byteLength(text),
          "cache-control": "no-store",
        });
        res.end(text);
      });
    });
  },
);
server.keepAliveTimeout = 65_000;
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(
    `${JSON.stringify({ url: `https://localhost:${server.address().port}`, pid: process.pid })}\n`,
  );
});
process.once("SIGTERM", () => server.close(() => process.exit(0)));

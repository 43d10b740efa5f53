// The bare signer, the floor for the token endpoint's CPU per token: a plain node:https server (the
// dev tenant's localhost certificate, the same keep-alive) that answers every POST with what a client
// credentials request gets from the dev tenant — the same JSON fields and headers, and an access
// token with the same header and claims (argv[3]: the shape of one the tenant issued) with fresh
// iat/nbf/exp and uti, RS256-signed with node:crypto's callback form as the tenant signs. It reads and
// parses the form body, as any token endpoint must; it does not route, authenticate the client or look
// anything up. With argv[4] "express", the same handler is the one route of a bare express app
// (mcp-entra's express, x-powered-by and etags off as in the dev tenant): the floor of any token
// endpoint served through express. Prints {url} as one JSON line; stops on SIGTERM.
import { generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:https";
import { createRequire } from "node:module";
import { join } from "node:path";

const tenantDir = join(process.argv[2], "dev-tenant");
const { header, claims } = JSON.parse(process.argv[3]);
const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const lifetime = claims.exp - claims.iat;

/** Answers a token request with a freshly signed token of the tenant's shape. */
function answer(req, res) {
  let body = "";
  req.setEncoding("utf8");
  req.on("data", (chunk) => {
    body += chunk;
  });
  req.on("end", () => {
    const form = new URLSearchParams(body);
    const now = Math.floor(Date.now() / 1000);
    const payload = {
      ...claims,
      iat: now,
      nbf: now,
      exp: now + lifetime,
      uti: randomBytes(16).toString("base64url"),
    };
    const input = `${base64url(header)}.${base64url(payload)}`;
    sign("sha256", Buffer.from(input), privateKey, (error, signature) => {
      const text = JSON.stringify({
        token_type: "Bearer",
        scope: form.get("scope"),
        expires_in: lifetime,
        ext_expires_in: lifetime,
        access_token: `${input}.${signature.toString("base64url")}`,
      });
      res.writeHead(error ? 500 : 200, {
        "Cache-Control": "no-store",
        Pragma: "no-cache",
        "Content-Type": "application/json; charset=utf-8",
        "Content-Length": Buffer.byteLength(text),
      });
      res.end(text);
    });
  });
}

const certificate = {
  cert: readFileSync(join(tenantDir, "tls-cert.pem")),
  key: readFileSync(join(tenantDir, "tls-key.pem")),
};
const server = createServer(certificate, process.argv[4] === "express" ? expressApp() : answer);
server.keepAliveTimeout = 65_000;
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(
    `${JSON.stringify({ url: `https://localhost:${server.address().port}`, pid: process.pid })}\n`,
  );
});
process.once("SIGTERM", () => server.close(() => process.exit(0)));

function expressApp() {
  const express = createRequire(new URL("../../package.json", import.meta.url))("express");
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.post("/:tenant/oauth2/v2.0/token", answer);
  return app;
}

function base64url(value) {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

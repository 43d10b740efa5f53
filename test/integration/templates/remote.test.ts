import { generateKeyPairSync, randomUUID, X509Certificate } from "node:crypto";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { decodeJwt, decodeProtectedHeader, type JWTPayload, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trustedFetch } from "../../../src/entra/trust.js";
import { tempDir, useDevTenant } from "../../helpers/dev-tenant.js";
import {
  freePort,
  renderAndInstall,
  run,
  type SpawnedServer,
  spawnServer,
} from "../../helpers/generated-project.js";

/**
 * `remote` end to end: render, install (once), type-check, build, the project's own tests, then the
 * built server over HTTPS against a dev tenant, driven by the MCP SDK client and by forged tokens.
 */

interface Registration {
  env: Record<string, string>;
  appIdUri: string;
  scope: string;
  ciClientId: string;
  users: { admin: string; member: string };
}

const VSCODE_CLIENT_ID = "aebc6443-996d-45c2-90f0-388ff96faa56";

describe("the remote template", () => {
  const tenant = useDevTenant();
  let project: string;
  let files: string[];

  beforeAll(async () => {
    project = join(await tempDir("mcp-entra-remote-"), "my-remote-server");
    files = await renderAndInstall("remote", project, { projectName: "my-remote-server", port: "3000" });
  }, 300_000);
  afterAll(async () => {
    if (project) await rm(join(project, ".."), { recursive: true, force: true });
  });

  it("generates no secret, and git ignores .env", async () => {
    expect(files).toContain(".gitignore");
    expect(files).not.toContain(".env");
    for (const file of files) {
      const text = await readFile(join(project, file), "utf8");
      expect(text, file).not.toMatch(
        /[A-Za-z0-9_~.-]{3}8Q~[A-Za-z0-9_~.-]{20,}|BEGIN [A-Z ]*PRIVATE KEY|eyJ[\w-]+\.eyJ/,
      );
      expect(text, file).not.toMatch(/^ENTRA_CLIENT_SECRET=.+$/m);
    }
    await run("git", ["init", "-q"], { cwd: project });
    await expect(run("git", ["check-ignore", "-q", ".env"], { cwd: project })).resolves.toBeDefined();
    await expect(run("git", ["check-ignore", "-q", ".env.example"], { cwd: project })).rejects.toThrow();
  });

  it("type-checks with its own tsconfig", async () => {
    await run("npx", ["tsc", "-p", "tsconfig.json"], { cwd: project });
  }, 120_000);

  it("builds", async () => {
    await run("npm", ["run", "build"], { cwd: project });
  }, 120_000);

  it("passes its own tests", async () => {
    const output = await run("npm", ["test"], { cwd: project, timeoutMs: 180_000 });
    expect(output).toMatch(/Tests\s+\d+ passed/);
  }, 200_000);

  describe("the built server, over HTTPS, against a dev tenant", () => {
    let server: SpawnedServer;
    let registration: Registration;
    let url: string;
    let fetchTls: ReturnType<typeof trustedFetch>;

    beforeAll(async () => {
      const t = tenant();
      // The generated project's own registration helper, so this test sets up what its tests do.
      const helper = (await import(join(project, "test/helpers/registration.ts"))) as {
        registerTestApps(tenant: unknown, options: { dir: string; serverUrl: string }): Promise<Registration>;
      };
      const port = await freePort();
      url = `https://localhost:${port}/mcp`;
      registration = await helper.registerTestApps(t, {
        dir: join(project, "..", "registration"),
        serverUrl: url,
      });
      fetchTls = trustedFetch([t.caPem]);
      server = await spawnServer(project, {
        ...registration.env,
        MCP_SERVER_URL: url,
        PORT: String(port),
        HOST: "127.0.0.1",
        // The dev tenant's localhost certificate doubles as this server's.
        TLS_CERT_FILE: join(t.dir, "tls-cert.pem"),
        TLS_KEY_FILE: join(t.dir, "tls-key.pem"),
      });
    }, 60_000);
    afterAll(async () => {
      await server?.stop("SIGKILL");
    });

    const userToken = async (upn = registration.users.admin, claims?: JWTPayload) =>
      (
        await tenant().issueToken({
          clientId: VSCODE_CLIENT_ID,
          scope: registration.scope,
          user: upn,
          claims,
        })
      ).access_token;
    const appToken = async (claims?: JWTPayload) =>
      (
        await tenant().issueToken({
          clientId: registration.ciClientId,
          scope: `${registration.appIdUri}/.default`,
          claims,
        })
      ).access_token;
    const connect = async (token: string) => {
      const client = new Client({ name: "remote-template-test", version: "1.0.0" });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(url), {
          fetch: fetchTls,
          requestInit: { headers: { Authorization: `Bearer ${token}` } },
        }),
      );
      return client;
    };
    const post = (body: unknown, headers: Record<string, string> = {}, target = url) =>
      fetchTls(target, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json, text/event-stream",
          ...headers,
        },
        body: JSON.stringify(body),
      });
    const toolCall = (name: string) => ({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name } });
    const metadataUrl = () => `${new URL(url).origin}/.well-known/oauth-protected-resource/mcp`;
    const textOf = (result: unknown) =>
      (result as { content?: { text?: string }[] }).content?.[0]?.text ?? "";

    it("serves health and Protected Resource Metadata (path-aware and root)", async () => {
      expect((await fetchTls(`${new URL(url).origin}/healthz`)).status).toBe(200);
      for (const path of [
        "/.well-known/oauth-protected-resource/mcp",
        "/.well-known/oauth-protected-resource",
      ]) {
        const response = await fetchTls(`${new URL(url).origin}${path}`);
        expect(await response.json()).toEqual({
          resource: url,
          authorization_servers: [`${tenant().url}/${tenant().tenantId}/v2.0`],
          scopes_supported: [registration.scope],
          bearer_methods_supported: ["header"],
        });
      }
    });

    it("completes initialize → tools/list → tools/call for a signed-in user", async () => {
      const client = await connect(await userToken());
      expect(client.getServerVersion()).toMatchObject({ name: "my-remote-server" });
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toEqual(["server_time", "whoami", "server_status"]);
      const result = await client.callTool({ name: "server_time" });
      expect(result.isError).toBeFalsy();
      expect(Date.parse(JSON.parse(textOf(result)).now)).toBeGreaterThan(0);
      await client.close();
    });

    it("completes the same flow with an app-only token holding Tools.Read (what CI uses)", async () => {
      const token = await appToken();
      expect(decodeJwt(token)).toMatchObject({ roles: ["Tools.Read"], idtyp: "app" });
      const client = await connect(token);
      expect((await client.listTools()).tools).toHaveLength(3);
      expect((await client.callTool({ name: "server_time" })).isError).toBeFalsy();
      await client.close();
    });

    it("whoami returns the signed-in user from Graph via on-behalf-of (when the dev tenant has OBO)", async (ctx) => {
      const client = await connect(await userToken(registration.users.admin));
      const result = await client.callTool({ name: "whoami" });
      await client.close();
      if (result.isError && /AADSTS70003|unsupported_grant_type/.test(textOf(result))) {
        ctx.skip("the dev tenant has no on-behalf-of grant yet (AADSTS70003)");
      }
      expect(result.isError, textOf(result)).toBeFalsy();
      expect(JSON.parse(textOf(result))).toMatchObject({
        userPrincipalName: registration.users.admin,
        displayName: "Adele Vance",
      });
    });

    describe("rejects with 401 and the spec's WWW-Authenticate", () => {
      const challenge = () => `Bearer resource_metadata="${metadataUrl()}", scope="${registration.scope}"`;

      it("no token", async () => {
        const response = await post(toolCall("server_time"));
        expect(response.status).toBe(401);
        expect(response.headers.get("www-authenticate")).toBe(challenge());
      });

      const signWith = async (
        payload: JWTPayload,
        header: Record<string, unknown>,
        key: Parameters<SignJWT["sign"]>[0],
      ) => new SignJWT(payload).setProtectedHeader(header as { alg: string }).sign(key);
      const now = () => tenant().clock.nowSeconds();
      const cases: [string, () => Promise<string>][] = [
        ["a malformed token", async () => "not-a-jwt"],
        [
          "an unsigned token (alg none)",
          async () => {
            const [header, payload] = (await userToken()).split(".");
            const none = Buffer.from(
              JSON.stringify({ ...JSON.parse(Buffer.from(header!, "base64url").toString()), alg: "none" }),
            );
            return `${none.toString("base64url")}.${payload}.`;
          },
        ],
        [
          "an HS256 token signed with the tenant's public key as the secret",
          async () => {
            const token = await userToken();
            const { kid } = decodeProtectedHeader(token);
            const jwks = (await (await fetchTls(tenant().urls.jwks)).json()) as { keys: { kid: string }[] };
            const publicJwk = JSON.stringify(jwks.keys.find((key) => key.kid === kid));
            return signWith(
              decodeJwt(token),
              { alg: "HS256", typ: "JWT", kid },
              new TextEncoder().encode(publicJwk),
            );
          },
        ],
        [
          "a token signed by a key with an unknown kid",
          async () => {
            const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
            return signWith(
              decodeJwt(await userToken()),
              { alg: "RS256", typ: "JWT", kid: "unknown-kid" },
              privateKey,
            );
          },
        ],
        [
          "a token signed by another key under the tenant's kid",
          async () => {
            const token = await userToken();
            const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
            return signWith(
              decodeJwt(token),
              { alg: "RS256", typ: "JWT", kid: decodeProtectedHeader(token).kid },
              privateKey,
            );
          },
        ],
        [
          "a token from another issuer",
          () => userToken(undefined, { iss: `https://login.microsoftonline.com/${tenant().tenantId}/v2.0` }),
        ],
        [
          "a v1 token (not accepted unless configured)",
          () => userToken(undefined, { iss: `https://sts.windows.net/${tenant().tenantId}/` }),
        ],
        [
          "an ID token issued to this API",
          async () =>
            (
              await tenant().issueToken({
                clientId: registration.env.ENTRA_CLIENT_ID!,
                scope: `openid ${registration.scope}`,
                user: registration.users.admin,
              })
            ).id_token!,
        ],
        ["a token for another tenant", () => userToken(undefined, { tid: randomUUID() })],
        ["a token for another audience", () => userToken(undefined, { aud: randomUUID() })],
        ["an expired token", () => userToken(undefined, { exp: now() - 600 })],
        ["a token not valid yet (nbf in the future)", () => userToken(undefined, { nbf: now() + 3600 })],
        [
          "a token whose payload was tampered with",
          async () => {
            const [header, payload, signature] = (await userToken(registration.users.member)).split(".");
            const claims = JSON.parse(Buffer.from(payload!, "base64url").toString());
            const tampered = Buffer.from(JSON.stringify({ ...claims, roles: ["Tools.Admin"] })).toString(
              "base64url",
            );
            return `${header}.${tampered}.${signature}`;
          },
        ],
      ];

      it.each(cases)("%s", async (_name, forge) => {
        const token = await forge();
        const response = await post(toolCall("server_time"), { Authorization: `Bearer ${token}` });
        expect(response.status).toBe(401);
        const header = response.headers.get("www-authenticate") ?? "";
        expect(header.startsWith(`${challenge()}, error="invalid_token"`), header).toBe(true);
        expect(server.logs.join("\n")).not.toContain(token.split(".")[2] || token);
      });
    });

    describe("answers 403 insufficient_scope to a valid token without the tool's scope or role", () => {
      const cases: [string, string, () => Promise<string>][] = [
        ["a user without Tools.Admin", "server_status", () => userToken(registration.users.member)],
        ["an app-only token (whoami acts for users only)", "whoami", () => appToken()],
        ["an app without Tools.Admin", "server_status", () => appToken()],
        [
          "a delegated token without user_impersonation",
          "server_time",
          () => userToken(undefined, { scp: "Other.Scope" }),
        ],
      ];
      it.each(cases)("%s calling %s", async (_name, tool, token) => {
        const response = await post(toolCall(tool), { Authorization: `Bearer ${await token()}` });
        expect(response.status).toBe(403);
        const header = response.headers.get("www-authenticate") ?? "";
        expect(header).toMatch(
          new RegExp(
            `^Bearer resource_metadata="${metadataUrl()}", scope="${registration.scope}", error="insufficient_scope"`,
          ),
        );
      });
    });

    it("does not accept a token in the query string", async () => {
      const token = await userToken();
      const alone = await post(toolCall("server_time"), {}, `${url}?access_token=${token}`);
      expect(alone.status).toBe(400);
      expect(await alone.json()).toMatchObject({ error: "invalid_request" });
      const withHeader = await post(
        toolCall("server_time"),
        { Authorization: `Bearer ${token}` },
        `${url}?access_token=${token}`,
      );
      expect(withHeader.status).toBe(400);
    });

    it("limits request size and rate, and logs one line per request without tokens", async () => {
      const token = await userToken();
      const big = await post(
        { jsonrpc: "2.0", id: 1, method: "ping", params: { pad: "x".repeat(1_200_000) } },
        {
          Authorization: `Bearer ${token}`,
        },
      );
      expect(big.status).toBe(413);
      expect(big.headers.get("ratelimit-policy")).toBeTruthy();
      const lines = server.logs.filter((line) => line.includes('"message":"request"'));
      expect(lines.length).toBeGreaterThan(10);
      expect(server.logs.join("\n")).not.toContain(token.split(".")[2]);
      expect(server.logs.join("\n")).not.toMatch(/eyJ[\w-]+\.eyJ|access_token=/);
    });

    it("authenticates to the tenant with a certificate from ENTRA_CLIENT_CERTIFICATE_PATH", async () => {
      const t = tenant();
      // The dev tenant's localhost certificate and key, in one PEM file, as the API's credential.
      const certPem = await readFile(join(t.dir, "tls-cert.pem"), "utf8");
      const pemFile = join(project, "..", "api-credential.pem");
      await writeFile(pemFile, `${(await readFile(join(t.dir, "tls-key.pem"), "utf8")).trim()}\n${certPem}`, {
        mode: 0o600,
      });
      const certificate = new X509Certificate(certPem);
      await t.store.commit((state) => {
        const api = state.applications.find((app) => app.appId === registration.env.ENTRA_CLIENT_ID)!;
        api.keyCredentials.push({
          keyId: randomUUID(),
          type: "AsymmetricX509Cert",
          usage: "Verify",
          displayName: "test certificate",
          customKeyIdentifier: Buffer.from(certificate.fingerprint.replaceAll(":", ""), "hex").toString(
            "base64",
          ),
          startDateTime: new Date(certificate.validFrom).toISOString(),
          endDateTime: new Date(certificate.validTo).toISOString(),
          key: certificate.raw.toString("base64"),
        });
      });
      const { loadConfig } = await import(join(project, "src/config.ts"));
      const { createOutboundFetch } = await import(join(project, "src/outbound-fetch.ts"));
      const { createConfidentialClient } = await import(join(project, "src/graph/on-behalf-of.ts"));
      const config = loadConfig({
        ...registration.env,
        ENTRA_CLIENT_SECRET: "",
        ENTRA_CLIENT_CERTIFICATE_PATH: pemFile,
        MCP_SERVER_URL: url,
      });
      expect(config.credential.kind).toBe("certificate");
      const msal = createConfidentialClient(config, createOutboundFetch(config.caFile));
      const result = await msal.acquireTokenByClientCredential({
        scopes: [`${registration.appIdUri}/.default`],
      });
      expect(decodeJwt(result.accessToken)).toMatchObject({
        azp: registration.env.ENTRA_CLIENT_ID,
        azpacr: "2",
      });
    });

    it("shuts down gracefully on SIGTERM", async () => {
      expect(await server.stop("SIGTERM")).toBe(0);
      expect(server.logs.join("\n")).toContain('"message":"stopped"');
    });
  });
});

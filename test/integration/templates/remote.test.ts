import { randomUUID, X509Certificate } from "node:crypto";
import { readFile, rm, writeFile } from "node:fs/promises";
import { request as httpsRequest } from "node:https";
import { join } from "node:path";
import { decodeJwt, type JWTPayload } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trustedFetch } from "../../../src/entra/trust.js";
import { tempDir, useDevTenant } from "../../helpers/dev-tenant.js";
import { forgedTokens } from "../../helpers/forged-tokens.js";
import {
  freePort,
  renderAndInstall,
  run,
  type SpawnedServer,
  spawnServer,
} from "../../helpers/generated-project.js";
import { CLIENTS, connectClient, REVISIONS, rpcRequest } from "../../helpers/mcp-clients.js";

/**
 * `remote` end to end: render, install (once), type-check, build, the project's own tests, then the
 * built server over HTTPS against a dev tenant, driven by the MCP SDK clients of both revisions and
 * by forged tokens on both revisions.
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

  it("passes its own tests, on both revisions", async () => {
    const output = await run("npm", ["test", "--", "--reporter=verbose"], {
      cwd: project,
      timeoutMs: 180_000,
    });
    expect(output).toMatch(/Tests\s+\d+ passed/);
    expect(output).not.toMatch(/skipped/);
    for (const revision of REVISIONS) expect(output).toContain(`on revision ${revision}`);
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

    it.each(CLIENTS)(
      "%s: tools/list → tools/call, and whoami from Graph on behalf of the user",
      async (kind) => {
        const client = await connectClient(kind, url, fetchTls, { token: await userToken() });
        expect(client.revision).toBe(kind.startsWith("v2") ? "2026-07-28" : "2025-11-25");
        expect(client.serverName).toBe("my-remote-server");
        expect(await client.listTools()).toEqual(["server_time", "whoami", "server_status"]);
        const time = await client.callTool("server_time");
        expect(time.isError).toBe(false);
        expect(Date.parse(JSON.parse(time.text).now)).toBeGreaterThan(0);
        const me = await client.callTool("whoami");
        expect(me.isError, me.text).toBe(false);
        expect(JSON.parse(me.text)).toMatchObject({
          userPrincipalName: registration.users.admin,
          displayName: "Adele Vance",
        });
        await client.close();
      },
    );

    it.each(CLIENTS)(
      "%s: the same with an app-only token holding Tools.Read (what CI uses)",
      async (kind) => {
        const token = await appToken();
        expect(decodeJwt(token)).toMatchObject({ roles: ["Tools.Read"] });
        const client = await connectClient(kind, url, fetchTls, { token });
        expect(await client.listTools()).toHaveLength(3);
        expect((await client.callTool("server_time")).isError).toBe(false);
        await client.close();
      },
    );

    describe.each(REVISIONS)(
      "rejects with 401 and the spec's WWW-Authenticate, on revision %s",
      (revision) => {
        const challenge = () => `Bearer resource_metadata="${metadataUrl()}", scope="${registration.scope}"`;

        it("no token", async () => {
          const response = await fetchTls(url, rpcRequest(revision, "tools/call", { name: "server_time" }));
          expect(response.status).toBe(401);
          expect(response.headers.get("www-authenticate")).toBe(challenge());
        });

        const cases = forgedTokens({
          tenant: () => tenant(),
          userToken,
          member: () => registration.users.member,
          admin: () => registration.users.admin,
          apiClientId: () => registration.env.ENTRA_CLIENT_ID!,
          scope: () => registration.scope,
          jwks: async () =>
            (await (await fetchTls(tenant().urls.jwks)).json()) as { keys: { kid: string }[] },
        });

        it.each(cases)("%s", async (_name, forge) => {
          const token = await forge();
          const response = await fetchTls(
            url,
            rpcRequest(revision, "tools/call", { name: "server_time" }, { Authorization: `Bearer ${token}` }),
          );
          expect(response.status).toBe(401);
          const header = response.headers.get("www-authenticate") ?? "";
          expect(header.startsWith(`${challenge()}, error="invalid_token"`), header).toBe(true);
          expect(server.logs.join("\n")).not.toContain(token.split(".")[2] || token);
        });
      },
    );

    describe.each(REVISIONS)(
      "answers 403 insufficient_scope to a valid token without the tool's scope or role, on revision %s",
      (revision) => {
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
          const response = await fetchTls(
            url,
            rpcRequest(revision, "tools/call", { name: tool }, { Authorization: `Bearer ${await token()}` }),
          );
          expect(response.status).toBe(403);
          const header = response.headers.get("www-authenticate") ?? "";
          expect(header).toMatch(
            new RegExp(
              `^Bearer resource_metadata="${metadataUrl()}", scope="${registration.scope}", error="insufficient_scope"`,
            ),
          );
        });
      },
    );

    it.each(REVISIONS)(
      "refuses another Host (DNS rebinding) and pages of other origins, on revision %s",
      async (revision) => {
        const token = await userToken();
        // node:https, because fetch sets Host itself.
        const status = (headers: Record<string, string>) =>
          new Promise<number>((resolve, reject) => {
            const init = rpcRequest(
              revision,
              "tools/list",
              {},
              { Authorization: `Bearer ${token}`, ...headers },
            );
            httpsRequest(
              url,
              {
                method: "POST",
                headers: init.headers as Record<string, string>,
                ca: tenant().caPem,
                // TLS checks the certificate against localhost, whatever the Host header says.
                servername: "localhost",
              },
              (response) => {
                response.resume();
                resolve(response.statusCode ?? 0);
              },
            )
              .on("error", reject)
              .end(init.body);
          });
        expect(await status({ Host: `rebound.example:${new URL(url).port}` })).toBe(403);
        expect(await status({ Origin: "https://attacker.example" })).toBe(403);
        expect(await status({ Origin: new URL(url).origin })).toBe(200);
      },
    );

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
      // The same server, started with the certificate instead of the secret: whoami's on-behalf-of
      // request at the tenant is authenticated with a client assertion signed by its key.
      const port = await freePort();
      const certUrl = `https://localhost:${port}/mcp`;
      const withCertificate = await spawnServer(project, {
        ...registration.env,
        ENTRA_CLIENT_SECRET: "",
        ENTRA_CLIENT_CERTIFICATE_PATH: pemFile,
        MCP_SERVER_URL: certUrl,
        PORT: String(port),
        HOST: "127.0.0.1",
        TLS_CERT_FILE: join(t.dir, "tls-cert.pem"),
        TLS_KEY_FILE: join(t.dir, "tls-key.pem"),
      });
      try {
        const client = await connectClient("v2 auto", certUrl, fetchTls, { token: await userToken() });
        const me = await client.callTool("whoami");
        await client.close();
        expect(me.isError, me.text).toBe(false);
        expect(JSON.parse(me.text)).toMatchObject({ userPrincipalName: registration.users.admin });
      } finally {
        await withCertificate.stop("SIGKILL");
      }
    });

    it("shuts down gracefully on SIGTERM", async () => {
      expect(await server.stop("SIGTERM")).toBe(0);
      expect(server.logs.join("\n")).toContain('"message":"stopped"');
    });
  });
});

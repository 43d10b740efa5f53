import { createHash, randomBytes, randomUUID, X509Certificate } from "node:crypto";
import { readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FetchLike } from "../../../src/entra/trust.js";
import { proxyConsentForm, withCookies } from "../../../src/test-flow/sign-in/proxy-consent.js";
import { BrowserOAuthClient } from "../../helpers/browser-oauth-client.js";
import { tempDir, useDevTenant } from "../../helpers/dev-tenant.js";
import {
  freePort,
  renderAndInstall,
  run,
  type SpawnedServer,
  spawnServer,
} from "../../helpers/generated-project.js";
import { CLIENTS, connectClient, REVISIONS } from "../../helpers/mcp-clients.js";
import { type ProxyRegistration, registerGeneratedProxy } from "../../helpers/proxy-registration.js";

/**
 * `proxy` end to end: render, install (once), type-check, build, the project's own tests, then the
 * built server over HTTPS against a dev tenant: driven by hand through the OAuth proxy (discovery,
 * DCR, sign-in through Entra in auto-approve mode and the proxy's consent page, tokens, refresh),
 * and by the MCP SDKs' own clients, whose OAuth code does all of it, on both revisions.
 */

const CLIENT_REDIRECT = "http://127.0.0.1:8976/callback";

describe("the proxy template", () => {
  const tenant = useDevTenant();
  let project: string;
  let files: string[];

  beforeAll(async () => {
    project = join(await tempDir("mcp-entra-proxy-"), "my-proxy-server");
    files = await renderAndInstall("proxy", project, { projectName: "my-proxy-server", port: "3000" });
  }, 300_000);
  afterAll(async () => {
    if (project) await rm(join(project, ".."), { recursive: true, force: true });
  });

  it("generates no secret, and git ignores .env and the proxy's state", async () => {
    expect(files).toContain(".gitignore");
    expect(files).not.toContain(".env");
    for (const file of files) {
      const text = await readFile(join(project, file), "utf8");
      expect(text, file).not.toMatch(
        /[A-Za-z0-9_~.-]{3}8Q~[A-Za-z0-9_~.-]{20,}|BEGIN [A-Z ]*PRIVATE KEY|eyJ[\w-]+\.eyJ|mcp-rt\d\.[\w-]{20,}/,
      );
      expect(text, file).not.toMatch(/^ENTRA_CLIENT_SECRET=.+$/m);
    }
    await run("git", ["init", "-q"], { cwd: project });
    for (const ignored of [
      ".env",
      ".oauth-proxy/clients.json",
      ".oauth-proxy/refresh-token-key",
      ".oauth-proxy/consents.json",
      ".oauth-proxy/refresh-tokens/family.json",
    ]) {
      await expect(run("git", ["check-ignore", "-q", ignored], { cwd: project })).resolves.toBeDefined();
    }
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
    let registration: ProxyRegistration;
    let url: string;
    let origin: string;
    let stateDir: string;
    let fetchTls: FetchLike;

    beforeAll(async () => {
      const t = tenant();
      const port = await freePort();
      origin = `https://localhost:${port}`;
      url = `${origin}/mcp`;
      ({ registration, fetchTls } = await registerGeneratedProxy(t, project, url));
      stateDir = join(project, "..", "proxy-state");
      server = await spawnServer(project, {
        ...registration.env,
        MCP_SERVER_URL: url,
        PORT: String(port),
        HOST: "127.0.0.1",
        PROXY_STATE_DIR: stateDir,
        // The dev tenant's localhost certificate doubles as this server's.
        TLS_CERT_FILE: join(t.dir, "tls-cert.pem"),
        TLS_KEY_FILE: join(t.dir, "tls-key.pem"),
      });
    }, 60_000);
    afterAll(async () => {
      await server?.stop("SIGKILL");
    });

    const json = async (response: Response) => (await response.json()) as Record<string, unknown>;
    const form = (target: string, params: Record<string, string>) =>
      fetchTls(target, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(params),
      });

    it("completes discovery → DCR → sign-in through Entra → initialize → tools/list → tools/call, and refresh", async () => {
      // An MCP client's first request: 401 with the way to the metadata.
      const anonymous = await fetchTls(url, { method: "POST" });
      expect(anonymous.status).toBe(401);
      const metadataUrl = /resource_metadata="([^"]+)"/.exec(
        anonymous.headers.get("www-authenticate") ?? "",
      )?.[1];
      const prm = await json(await fetchTls(metadataUrl!));
      expect(prm).toMatchObject({ resource: url, authorization_servers: [origin] });
      const as = await json(await fetchTls(`${origin}/.well-known/oauth-authorization-server`));
      expect(as).toMatchObject({
        issuer: origin,
        client_id_metadata_document_supported: true,
        authorization_response_iss_parameter_supported: true,
      });

      const registered = await fetchTls(String(as.registration_endpoint), {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          client_name: "integration test",
          redirect_uris: [CLIENT_REDIRECT],
          grant_types: ["authorization_code", "refresh_token"],
          token_endpoint_auth_method: "none",
        }),
      });
      expect(registered.status).toBe(201);
      const clientId = String((await json(registered)).client_id);

      const verifier = randomBytes(32).toString("base64url");
      const authorize = new URL(String(as.authorization_endpoint));
      for (const [name, value] of Object.entries({
        response_type: "code",
        client_id: clientId,
        redirect_uri: CLIENT_REDIRECT,
        scope: registration.scope,
        resource: url,
        state: "integration-state",
        code_challenge: createHash("sha256").update(verifier).digest("base64url"),
        code_challenge_method: "S256",
      })) {
        authorize.searchParams.set(name, value);
      }
      // The browser (with its cookies): proxy → Entra (auto-approve) → proxy callback → the proxy's
      // consent page, where its person allows this new client → the client's redirect URI.
      const browser = withCookies(fetchTls);
      let next = authorize;
      let init: RequestInit = {};
      const visited: string[] = [];
      while (!next.href.startsWith(CLIENT_REDIRECT)) {
        visited.push(`${init.method ?? "GET"} ${next.origin}${next.pathname}`);
        const response = await browser(next, { ...init, redirect: "manual" });
        init = {};
        const form = response.status === 200 ? proxyConsentForm(await response.clone().text()) : undefined;
        if (form) {
          expect(form).toMatchObject({ clientId, user: registration.users.admin });
          next = new URL(form.action, next);
          init = { method: "POST", body: new URLSearchParams({ ...form.fields, decision: "allow" }) };
          continue;
        }
        expect([302, 303], `${next.pathname}: ${await response.clone().text()}`).toContain(response.status);
        next = new URL(response.headers.get("location")!, next);
      }
      expect(visited).toEqual([
        `GET ${origin}/authorize`,
        `GET ${tenant().urls.authorize}`,
        `GET ${origin}/oauth/callback`,
        `GET ${origin}/oauth/consent`,
        `POST ${origin}/oauth/consent`,
      ]);
      expect(next.searchParams.get("state")).toBe("integration-state");
      expect(next.searchParams.get("iss")).toBe(origin);

      const tokens = await json(
        await form(String(as.token_endpoint), {
          grant_type: "authorization_code",
          client_id: clientId,
          code: next.searchParams.get("code")!,
          redirect_uri: CLIENT_REDIRECT,
          code_verifier: verifier,
          resource: url,
        }),
      );
      expect(tokens).toMatchObject({ token_type: "Bearer", scope: registration.scope });
      expect(decodeJwt(String(tokens.access_token))).toMatchObject({
        aud: registration.apiAppId,
        preferred_username: registration.users.admin,
      });

      const client = await connectClient("SDK 1.x (2025-11-25)", url, fetchTls, {
        token: String(tokens.access_token),
      });
      expect(client.serverName).toBe("my-proxy-server");
      expect(await client.listTools()).toEqual(["server_time", "whoami", "server_status"]);
      const me = await client.callTool("whoami");
      expect(me.isError, me.text).toBe(false);
      expect(JSON.parse(me.text)).toMatchObject({ userPrincipalName: registration.users.admin });
      await client.close();

      const refreshed = await json(
        await form(String(as.token_endpoint), {
          grant_type: "refresh_token",
          client_id: clientId,
          refresh_token: String(tokens.refresh_token),
        }),
      );
      expect(refreshed.access_token).toBeTruthy();
      const again = await connectClient("v2 pinned 2026-07-28", url, fetchTls, {
        token: String(refreshed.access_token),
      });
      expect((await again.callTool("server_time")).isError).toBe(false);
      await again.close();

      const logs = server.logs.join("\n");
      expect(logs).not.toMatch(/eyJ[\w-]+\.eyJ|mcp-rt\d\./);
      expect(logs).not.toContain(registration.env.ENTRA_CLIENT_SECRET!);
    });

    it.each(CLIENTS)(
      "%s: the SDK's own OAuth client registers (DCR), signs in through the proxy and calls tools",
      async (kind) => {
        const provider = new BrowserOAuthClient(fetchTls, { redirectUri: CLIENT_REDIRECT });
        const client = await connectClient(kind, url, fetchTls, { provider });
        expect(client.revision).toBe(kind.startsWith("v2") ? "2026-07-28" : "2025-11-25");
        expect(provider.information?.client_id).toMatch(/^mcp-/);
        expect(provider.visited.map((hop) => `${hop.origin}${hop.pathname}`)).toEqual([
          `${origin}/authorize`,
          tenant().urls.authorize,
          `${origin}/oauth/callback`,
          // A new client: the signed-in user allows it on the proxy's consent page first.
          `${origin}/oauth/consent`,
          new URL(CLIENT_REDIRECT).href,
        ]);
        // RFC 9207: the proxy names itself in its answer (the v2 SDK refuses an answer without it).
        expect(provider.callback().get("iss")).toBe(origin);
        expect(await client.listTools()).toEqual(["server_time", "whoami", "server_status"]);
        const me = await client.callTool("whoami");
        expect(me.isError, me.text).toBe(false);
        expect(JSON.parse(me.text)).toMatchObject({ userPrincipalName: registration.users.admin });
        await client.close();
      },
    );

    it("signs in at Entra with a certificate from ENTRA_CLIENT_CERTIFICATE_PATH", async () => {
      const t = tenant();
      // The dev tenant's localhost certificate and key, in one PEM file, as the API's credential.
      const certPem = await readFile(join(t.dir, "tls-cert.pem"), "utf8");
      const pemFile = join(project, "..", "api-credential.pem");
      await writeFile(pemFile, `${(await readFile(join(t.dir, "tls-key.pem"), "utf8")).trim()}\n${certPem}`, {
        mode: 0o600,
      });
      const certificate = new X509Certificate(certPem);
      await t.store.commit((state) => {
        const api = state.applications.find((app) => app.appId === registration.apiAppId)!;
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
      const { loadConfig, entraEndpoints } = await import(join(project, "src/config.ts"));
      const { entraClientAuthentication } = await import(
        join(project, "src/oauth-proxy/entra-credential.ts")
      );
      const config = loadConfig({
        ...registration.env,
        ENTRA_CLIENT_SECRET: "",
        ENTRA_CLIENT_CERTIFICATE_PATH: pemFile,
        MCP_SERVER_URL: url,
      });
      const { tokenUrl } = entraEndpoints(config);
      const credential = await entraClientAuthentication(config, tokenUrl)();
      expect(credential).not.toHaveProperty("client_secret");
      const response = await form(tokenUrl, {
        grant_type: "client_credentials",
        client_id: registration.apiAppId,
        scope: `${registration.appIdUri}/.default`,
        ...credential,
      });
      expect(response.status).toBe(200);
      expect(decodeJwt(String((await json(response)).access_token))).toMatchObject({ azpacr: "2" });
    });

    it("keeps its registrations and consents on disk (0600) and shuts down gracefully on SIGTERM", async () => {
      expect((await stat(join(stateDir, "clients.json"))).mode & 0o777).toBe(0o600);
      expect((await stat(join(stateDir, "refresh-token-key"))).mode & 0o777).toBe(0o600);
      expect((await stat(join(stateDir, "consents.json"))).mode & 0o777).toBe(0o600);
      expect((await stat(join(stateDir, "refresh-tokens"))).mode & 0o777).toBe(0o700);
      expect(await server.stop("SIGTERM")).toBe(0);
      expect(server.logs.join("\n")).toContain('"message":"stopped"');
    });
  });
});

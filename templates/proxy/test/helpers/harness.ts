import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import type { JWTPayload } from "jose";
import { type DevTenant, startDevTenant } from "mcp-entra/dev-tenant";
import { inject } from "vitest";
import { createApp } from "../../src/app.js";
import { type Config, loadConfig } from "../../src/config.js";
import { createServer, listen } from "../../src/http-server.js";
import { createLogger } from "../../src/logger.js";
import { type ConsentAnswer, TestBrowser } from "./browser.js";
import { CI_REPOSITORY, registerTestApps, type TestRegistration, VSCODE_CLIENT_ID } from "./registration.js";
import { clientOptions, type Revision } from "./revisions.js";

/**
 * A dev tenant (temp home, free port) in auto-approve mode — Entra's single sign-on answering without a
 * page — this server registered in it, and the server on a free port with its proxy state in a temp
 * folder. The proxy's own consent page is answered by the tests' browsers (helpers/browser.ts).
 */
export interface Harness {
  tenant: DevTenant;
  registration: TestRegistration;
  config: Config;
  /** The MCP endpoint, e.g. http://localhost:54321/mcp. */
  url: string;
  /** The server's origin: the OAuth proxy's issuer. */
  origin: string;
  /** Where Protected Resource Metadata sends clients to sign in: the OAuth proxy (the origin). */
  authorizationServer: string;
  /** Every line the server logged. */
  logs: string[];
  /** The test's "browser": plain fetch (the test processes trust the dev tenant's CA, see test/setup). */
  browserFetch: typeof fetch;
  /** A new browser (no cookies) whose person answers the proxy's consent page with `consent`. */
  newBrowser(consent?: ConsentAnswer): TestBrowser;
  /** Whom the tenant signs in without a page from now on (by default the admin test user). */
  signInAs(upn: string): Promise<void>;
  /** Moves the OAuth proxy's clock forward (not the tenant's, nor the token validator's). */
  advanceClock(ms: number): void;
  /** A delegated token minted by the tenant directly (VS Code as the client), for checks that skip sign-in. */
  userToken(upn?: string, claims?: JWTPayload): Promise<string>;
  /** An app-only token for the CI client (role Tools.Read), signed in as CI does: federated, with a GitHub token. */
  appToken(): Promise<string>;
  /** An MCP SDK client speaking `revision`, connected with a bearer token. */
  connect(token: string, revision: Revision): Promise<Client>;
  /** Starts the application again on the same port and state folder (a process restart, in effect). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** `appIdUriIsServerUrl`: the app's Application ID URI is the server URL, served over https. */
export async function startHarness(options: { appIdUriIsServerUrl?: boolean } = {}): Promise<Harness> {
  const home = await mkdtemp(join(tmpdir(), "mcp-proxy-test-"));
  // The CA this test run trusts (test/setup/dev-tenant-ca.ts), as the server trusts Entra's.
  const tenant = await startDevTenant({ home, port: 0, caDir: inject("devTenantCaDir") });
  // An https Application ID URI needs an https server: the dev tenant's localhost certificate serves.
  const tls = options.appIdUriIsServerUrl
    ? { certFile: join(tenant.dir, "tls-cert.pem"), keyFile: join(tenant.dir, "tls-key.pem") }
    : undefined;
  // Listen first, so MCP_SERVER_URL (the PRM resource, the proxy's issuer) names the real port.
  const server = createServer({ tls });
  const running = await listen(server, 0, "127.0.0.1");
  const origin = `${tls ? "https" : "http"}://localhost:${new URL(running.origin).port}`;
  const url = `${origin}/mcp`;
  const registration = await registerTestApps(tenant, {
    dir: join(home, "project"),
    serverUrl: url,
    appIdUriIsServerUrl: options.appIdUriIsServerUrl,
  });
  const config = loadConfig({
    ...registration.env,
    MCP_SERVER_URL: url,
    PORT: "0",
    HOST: "127.0.0.1",
    PROXY_STATE_DIR: join(home, "proxy-state"),
    // The tests serve Client ID Metadata Documents from localhost.
    PROXY_CIMD_ALLOW_PRIVATE_NETWORK: "true",
  });
  const logs: string[] = [];
  const log = createLogger((line) => logs.push(line));
  let clockOffset = 0;
  const start = async () => {
    const app = await createApp(config, log, { now: () => Date.now() + clockOffset });
    server.removeAllListeners("request");
    server.on("request", app);
  };
  await start();
  const browserFetch = fetch;
  // Sign-ins at the tenant complete without a page, as this user (admin API, as `mcp-entra` would).
  const signInAs = async (upn: string) => {
    const settings = await browserFetch(`${tenant.url}/_admin/settings`, {
      method: "PATCH",
      headers: { Authorization: `Bearer ${tenant.adminToken}`, "Content-Type": "application/json" },
      body: JSON.stringify({ autoApprove: upn }),
    });
    if (!settings.ok) throw new Error(`Could not switch auto-approve on: HTTP ${settings.status}`);
  };
  await signInAs(registration.users.admin);
  const clients: Client[] = [];

  return {
    tenant,
    registration,
    config,
    url,
    origin,
    authorizationServer: origin,
    logs,
    browserFetch,
    newBrowser: (consent) => new TestBrowser(browserFetch, consent),
    signInAs,
    advanceClock(ms) {
      clockOffset += ms;
    },
    async userToken(upn = registration.users.admin, claims) {
      // As VS Code asks: the API's scope with openid profile (Entra names the user only with profile).
      const response = await tenant.issueToken({
        clientId: VSCODE_CLIENT_ID,
        scope: `${registration.scope} openid profile`,
        user: upn,
        claims,
      });
      return response.access_token;
    },
    async appToken() {
      const response = await browserFetch(tenant.urls.token, {
        method: "POST",
        body: new URLSearchParams({
          grant_type: "client_credentials",
          client_id: registration.ciClientId,
          client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
          client_assertion: await tenant.githubActionsToken({ repository: CI_REPOSITORY }),
          scope: `${registration.appIdUri}/.default`,
        }),
      });
      const body = (await response.json()) as { access_token?: string; error_description?: string };
      if (!body.access_token) throw new Error(`The CI client could not sign in: ${body.error_description}`);
      return body.access_token;
    },
    async connect(token, revision) {
      const client = new Client({ name: "test", version: "1.0.0" }, clientOptions(revision));
      await client.connect(
        new StreamableHTTPClientTransport(new URL(url), { authProvider: { token: async () => token } }),
      );
      clients.push(client);
      return client;
    },
    restart: start,
    async stop() {
      await Promise.all(clients.map((client) => client.close()));
      await running.close(1_000);
      await tenant.stop();
      await rm(home, { recursive: true, force: true });
    },
  };
}

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import type { JWTPayload } from "jose";
import { type DevTenant, startDevTenant } from "mcp-entra/dev-tenant";
import { inject } from "vitest";
import { createApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { createServer, listen } from "../../src/http-server.js";
import { createLogger } from "../../src/logger.js";
import { CI_REPOSITORY, registerTestApps, type TestRegistration, VSCODE_CLIENT_ID } from "./registration.js";
import { clientOptions, type Revision } from "./revisions.js";

/** A dev tenant (temp home, free port), this server registered in it, and the server on a free port. */
export interface Harness {
  tenant: DevTenant;
  registration: TestRegistration;
  /** The MCP endpoint, e.g. http://localhost:54321/mcp. */
  url: string;
  /** Where Protected Resource Metadata sends clients to sign in: the tenant's v2.0 issuer. */
  authorizationServer: string;
  /** Every line the server logged. */
  logs: string[];
  /** A delegated token for a test user (VS Code as the client), optionally with replaced claims. */
  userToken(upn?: string, claims?: JWTPayload): Promise<string>;
  /** An app-only token for the CI client (role Tools.Read), signed in as CI does: federated, with a GitHub token. */
  appToken(): Promise<string>;
  /** An MCP SDK client speaking `revision`, connected with a bearer token. */
  connect(token: string, revision: Revision): Promise<Client>;
  stop(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const home = await mkdtemp(join(tmpdir(), "mcp-server-test-"));
  // The CA this test run trusts (test/setup/dev-tenant-ca.ts), as the server trusts Entra's. As on
  // Entra, the new secret and consent grant reach the token endpoint only after a while (shortened
  // here): the first on-behalf-of calls prove the server waits for them.
  const tenant = await startDevTenant({
    home,
    port: 0,
    caDir: inject("devTenantCaDir"),
    faults: "secret-propagation:1500,consent-propagation:1500",
  });
  // Listen first, so MCP_SERVER_URL (the PRM resource) names the real port.
  const server = createServer({});
  const running = await listen(server, 0, "127.0.0.1");
  const url = `http://localhost:${new URL(running.origin).port}/mcp`;
  const registration = await registerTestApps(tenant, { dir: join(home, "project"), serverUrl: url });
  const config = loadConfig({ ...registration.env, MCP_SERVER_URL: url, PORT: "0", HOST: "127.0.0.1" });
  const logs: string[] = [];
  server.on(
    "request",
    createApp(
      config,
      createLogger((line) => logs.push(line)),
    ),
  );
  const clients: Client[] = [];

  return {
    tenant,
    registration,
    url,
    authorizationServer: `${tenant.url}/${tenant.tenantId}/v2.0`,
    logs,
    async userToken(upn = registration.users.admin, claims) {
      const response = await tenant.issueToken({
        clientId: VSCODE_CLIENT_ID,
        scope: registration.scope,
        user: upn,
        claims,
      });
      return response.access_token;
    },
    async appToken() {
      const response = await fetch(tenant.urls.token, {
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
    async stop() {
      await Promise.all(clients.map((client) => client.close()));
      await running.close(1_000);
      await tenant.stop();
      await rm(home, { recursive: true, force: true });
    },
  };
}

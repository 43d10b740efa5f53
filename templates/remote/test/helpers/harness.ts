import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { JWTPayload } from "jose";
import { type DevTenant, startDevTenant } from "mcp-entra/dev-tenant";
import { composeApp } from "../../src/compose.js";
import { loadConfig } from "../../src/config.js";
import { createServer, listen } from "../../src/http-server.js";
import { createLogger } from "../../src/logger.js";
import { createOutboundFetch } from "../../src/outbound-fetch.js";
import { CI_REPOSITORY, registerTestApps, type TestRegistration, VSCODE_CLIENT_ID } from "./registration.js";

/** A dev tenant (temp home, free port), this server registered in it, and the server on a free port. */
export interface Harness {
  tenant: DevTenant;
  registration: TestRegistration;
  /** The MCP endpoint, e.g. http://localhost:54321/mcp. */
  url: string;
  /** Every line the server logged. */
  logs: string[];
  /** A delegated token for a test user (VS Code as the client), optionally with replaced claims. */
  userToken(upn?: string, claims?: JWTPayload): Promise<string>;
  /** An app-only token for the CI client (role Tools.Read), signed in as CI does: federated, with a GitHub token. */
  appToken(): Promise<string>;
  /** An MCP client connected with a bearer token. */
  connect(token: string): Promise<Client>;
  stop(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const home = await mkdtemp(join(tmpdir(), "mcp-server-test-"));
  const tenant = await startDevTenant({ home, port: 0 });
  // Listen first, so MCP_SERVER_URL (the PRM resource) names the real port.
  const server = createServer({});
  const running = await listen(server, 0, "127.0.0.1");
  const url = `http://localhost:${new URL(running.origin).port}/mcp`;
  const registration = await registerTestApps(tenant, { dir: join(home, "project"), serverUrl: url });
  const tenantFetch = createOutboundFetch(tenant.caFile);
  const config = loadConfig({ ...registration.env, MCP_SERVER_URL: url, PORT: "0", HOST: "127.0.0.1" });
  const logs: string[] = [];
  server.on(
    "request",
    composeApp(
      config,
      createLogger((line) => logs.push(line)),
    ),
  );
  const clients: Client[] = [];

  return {
    tenant,
    registration,
    url,
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
      const response = await tenantFetch(tenant.urls.token, {
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
    async connect(token) {
      const client = new Client({ name: "test", version: "1.0.0" });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(url), {
          requestInit: { headers: { Authorization: `Bearer ${token}` } },
        }),
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

import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { type DevTenant, startDevTenant, TenantAdminClient } from "mcp-entra/dev-tenant";
import { CONFIG_VARIABLES } from "../../src/config.js";
import { registerTestApp, type TestRegistration } from "./registration.js";
import { clientOptions, type Revision } from "./revisions.js";

const PROJECT = fileURLToPath(new URL("../../", import.meta.url));

/** The built server (dist/main.js), started over stdio by the MCP SDK client, as MCP clients do. */
export interface StdioServer {
  client: Client;
  /** Every line the server wrote to stderr. */
  logs: string[];
  /** Anything on stdout that was not a JSON-RPC message, and other transport errors. */
  protocolErrors: Error[];
  close(): Promise<void>;
}

/**
 * A dev tenant (temp home, free port) with this server registered in it. The servers trust its CA
 * as they would any: through NODE_EXTRA_CA_CERTS, which register wrote into the .env they start with.
 */
export interface Harness {
  tenant: DevTenant;
  registration: TestRegistration;
  /** The token cache file the servers use unless told otherwise. */
  tokenCacheFile: string;
  /** Auto-approve mode (admin API): device codes are approved at once as this user; null switches it off. */
  autoApprove(upn: string | null): Promise<void>;
  /** Starts the built server with the registration's .env variables (plus `env`) and connects, speaking `revision`. */
  start(revision: Revision, env?: Record<string, string>): Promise<StdioServer>;
  stop(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  if (!existsSync(join(PROJECT, "dist", "main.js"))) {
    throw new Error("Build the server first: npm run build (npm test does it)");
  }
  const home = await mkdtemp(join(tmpdir(), "mcp-local-test-"));
  // A short polling interval: a device code flow notices approval (or expiry) within a second.
  const tenant = await startDevTenant({ home, port: 0, options: { deviceCodeIntervalSeconds: 1 } });
  const registration = await registerTestApp(tenant, { dir: join(home, "project") });
  // Register signed in to the tenant too: the tests count the server's own requests only.
  tenant.clearRequestLog();
  const tokenCacheFile = join(home, "token-cache", "msal-token-cache.json");
  const admin = TenantAdminClient.for(tenant.url, tenant.adminToken, tenant.caPem);
  const servers: StdioServer[] = [];

  async function start(revision: Revision, env: Record<string, string> = {}): Promise<StdioServer> {
    // Every variable set (empty means unset), so nothing leaks in from a developer's .env.
    const blank = Object.fromEntries(CONFIG_VARIABLES.map((name) => [name, ""]));
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [join(PROJECT, "dist", "main.js")],
      cwd: PROJECT,
      env: {
        ...blank,
        ...registration.env,
        ENTRA_SIGN_IN_METHOD: "device-code",
        ENTRA_TOKEN_CACHE_FILE: tokenCacheFile,
        ...env,
      },
      stderr: "pipe",
    });
    const logs: string[] = [];
    createInterface({ input: transport.stderr as Readable }).on("line", (line) => logs.push(line));
    const protocolErrors: Error[] = [];
    const client = new Client({ name: "local-server-test", version: "1.0.0" }, clientOptions(revision));
    client.onerror = (error) => protocolErrors.push(error);
    await client.connect(transport);
    const server = { client, logs, protocolErrors, close: () => client.close() };
    servers.push(server);
    return server;
  }

  return {
    tenant,
    registration,
    tokenCacheFile,
    async autoApprove(upn) {
      await admin.setAutoApprove(upn);
    },
    start,
    async stop() {
      await Promise.all(servers.map((server) => server.close()));
      await tenant.stop();
      await rm(home, { recursive: true, force: true });
    },
  };
}

import { existsSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import type { TenantState } from "../../src/tenant/directory/tenant-state.js";
import { TenantAdminClient } from "../../src/tenant/server/admin-client.js";
import type { RequestLogEntry } from "../../src/tenant/server/request-log.js";
import { adminTokenFile, tenantCaFile } from "../../src/tenant/server/runtime.js";
import { tempDir } from "./dev-tenant.js";
import { type CliResult, freePort, runCli } from "./run-cli.js";

/**
 * A dev tenant started by the built binary in the background (`tenant start --detach`) on a free
 * port and a temp home, as a user's commands meet it; with its admin API for faults and the request
 * log, and its persisted state for assertions.
 */
export interface DetachedTenant {
  home: string;
  port: number;
  url: string;
  tenantId: string;
  domain: string;
  caFile: string;
  caPem: string;
  admin: TenantAdminClient;
  /** The environment every CLI run against this tenant needs. */
  env: NodeJS.ProcessEnv;
  cli(args: string[], env?: NodeJS.ProcessEnv): Promise<CliResult>;
  state(): Promise<TenantState>;
  setFaults(spec: string | undefined): Promise<void>;
  graphLog(options?: { writesOnly?: boolean }): Promise<RequestLogEntry[]>;
  clearLog(): Promise<void>;
  stop(): Promise<void>;
}

export async function startDetachedTenant(): Promise<DetachedTenant> {
  const home = await tempDir();
  const port = await freePort();
  const env = { MCP_ENTRA_TENANT_PORT: String(port) };
  const started = await runCli(["tenant", "start", "--detach", "--port", String(port)], { home, env });
  if (started.code !== 0) throw new Error(`tenant start failed: ${started.stderr}`);
  const dir = join(home, "dev-tenant");
  const caPem = await readFile(tenantCaFile(dir), "utf8");
  const adminToken = (await readFile(adminTokenFile(dir), "utf8")).trim();
  const url = `https://localhost:${port}`;
  const admin = TenantAdminClient.for(url, adminToken, caPem);
  const status = await admin.status();
  return {
    home,
    port,
    url,
    tenantId: status.tenantId,
    domain: status.domain,
    caFile: tenantCaFile(dir),
    caPem,
    admin,
    env,
    // A run that asks to see a secret is exempt from the suite's secret scan.
    cli: (args, extra = {}) =>
      runCli(args, { home, env: { ...env, ...extra }, allowSecrets: args.includes("--show-secret") }),
    state: async () => JSON.parse(await readFile(join(dir, "state.json"), "utf8")) as TenantState,
    setFaults: async (spec) => {
      if (spec) await admin.request("PUT", "/faults", { spec });
      else await admin.request("DELETE", "/faults");
    },
    graphLog: async (options = {}) =>
      (
        await admin.request<{ value: RequestLogEntry[] }>(
          "GET",
          `/requests?kind=graph${options.writesOnly ? "&writes=true" : ""}`,
        )
      ).value,
    clearLog: async () => {
      await admin.request("DELETE", "/requests");
    },
    stop: async () => {
      await runCli(["tenant", "stop"], { home, env });
      const runtime = join(dir, "runtime.json");
      if (existsSync(runtime)) {
        try {
          process.kill(JSON.parse(await readFile(runtime, "utf8")).pid, "SIGKILL");
        } catch {
          // Already gone.
        }
      }
      await rm(home, { recursive: true, force: true });
    },
  };
}

/** A JWT anywhere in a text (an access, ID or refresh token that must not be printed). */
export const JWT_PATTERN = /eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]+/;

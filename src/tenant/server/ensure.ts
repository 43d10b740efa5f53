import { readFile } from "node:fs/promises";
import { OperationError } from "../../core/errors.js";
import { devTenantHome, mcpEntraHome } from "../../core/paths.js";
import type { Ui } from "../../core/ui.js";
import { TenantAdminClient } from "./admin-client.js";
import { startDetached } from "./detach.js";
import { healthyTenantId } from "./https-json-client.js";
import { resolveTenantPort } from "./port.js";
import { adminTokenFile, liveRuntime, type TenantRuntime, tenantCaFile } from "./runtime.js";
import { tenantUrls } from "./urls.js";

export interface EnsureDevTenantOptions {
  /** The mcp-entra home folder (default MCP_ENTRA_HOME, else ~/.mcp-entra). */
  home?: string;
  /** The port for a tenant that has to be started (default MCP_ENTRA_TENANT_PORT, else 44331). */
  port?: number;
  /** Where to say which tenant is used (a note on stderr). */
  ui?: Ui;
  timeoutMs?: number;
}

/** A running dev tenant, as other commands and tests use it. */
export interface DevTenantHandle {
  home: string;
  dir: string;
  url: string;
  port: number;
  pid: number;
  tenantId: string;
  domain: string;
  authority: string;
  issuer: string;
  caPem: string;
  caFile: string;
  adminToken: string;
  admin: TenantAdminClient;
  /** Whether this call started it (it keeps running in the background until `tenant stop`). */
  started: boolean;
}

/**
 * The dev tenant of a home folder: the one that runs, or a new one started in the background.
 * Says which one it is using on `ui`.
 */
export async function ensureDevTenant(options: EnsureDevTenantOptions = {}): Promise<DevTenantHandle> {
  const home = options.home ?? mcpEntraHome();
  const dir = devTenantHome(home);
  let runtime = await runningTenant(dir);
  const started = !runtime;
  if (!runtime) {
    const port = options.port ?? resolveTenantPort(undefined).port;
    runtime = await startDetached({ home, port, timeoutMs: options.timeoutMs });
  }
  const handle = await handleFor(home, dir, runtime, started);
  options.ui?.note(
    `${started ? "Started" : "Using"} the dev tenant at ${handle.url} (tenant ${handle.tenantId}, pid ${handle.pid})` +
      (started ? "; stop it with `mcp-entra tenant stop`." : "."),
  );
  return handle;
}

/** The runtime of a tenant that answers, waiting briefly for one that is still starting. */
async function runningTenant(dir: string): Promise<TenantRuntime | undefined> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const runtime = await liveRuntime(dir);
    if (!runtime) return undefined;
    if (runtime.phase === "running" && runtime.url) {
      const caPem = await readFile(tenantCaFile(dir), "utf8");
      if (await healthyTenantId(runtime.url, caPem)) return runtime;
    }
    if (Date.now() > deadline) {
      throw new OperationError(
        "TENANT_NOT_ANSWERING",
        `The dev tenant (pid ${runtime.pid}) does not answer${runtime.url ? ` on ${runtime.url}` : ""}.`,
        { suggestion: "Restart it: `mcp-entra tenant stop`, then `mcp-entra tenant start --detach`." },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function handleFor(
  home: string,
  dir: string,
  runtime: TenantRuntime,
  started: boolean,
): Promise<DevTenantHandle> {
  const caFile = tenantCaFile(dir);
  const caPem = await readFile(caFile, "utf8");
  const adminToken = (await readFile(adminTokenFile(dir), "utf8")).trim();
  const url = runtime.url!;
  const admin = TenantAdminClient.for(url, adminToken, caPem);
  const status = await admin.status();
  const urls = tenantUrls(url, status.tenantId);
  return {
    home,
    dir,
    url,
    port: Number(new URL(url).port),
    pid: status.pid,
    tenantId: status.tenantId,
    domain: status.domain,
    authority: urls.authority,
    issuer: urls.issuer,
    caPem,
    caFile,
    adminToken,
    admin,
    started,
  };
}

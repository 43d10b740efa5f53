import { readFile } from "node:fs/promises";
import { devTenantHome, mcpEntraHome } from "../../core/paths.js";
import type { Ui } from "../../core/ui.js";
import { getJson } from "../../tenant/server/https-json-client.js";
import {
  adminTokenFile,
  liveRuntime,
  type TenantRuntime,
  tenantCaFile,
} from "../../tenant/server/runtime.js";
import { tenantUrls } from "../../tenant/server/urls.js";

/**
 * `tenant status`. Loads node built-ins only (no express, jose, zod or undici): it is the command
 * people and scripts run most, so it must start about as fast as node itself.
 */
export type TenantStatus = RunningTenantStatus | StoppedTenantStatus;

export interface RunningTenantStatus {
  running: true;
  home: string;
  url: string;
  port: number;
  pid: number;
  tenantId: string;
  domain: string;
  authority: string;
  issuer: string;
  caFile: string;
  startedAt: string;
  uptimeSeconds: number;
  /** The UPN that auto-approve signs in, or null when sign-in pages are shown. */
  autoApprove: string | null;
  logFile: string | null;
}

export interface StoppedTenantStatus {
  running: false;
  home: string;
  /** Why it does not count as running when a process holds the folder (starting, not answering). */
  problem?: string;
  pid?: number;
}

export async function tenantStatus(home: string = mcpEntraHome()): Promise<TenantStatus> {
  const dir = devTenantHome(home);
  const runtime = await liveRuntime(dir);
  if (!runtime) return { running: false, home };
  if (runtime.phase !== "running" || !runtime.url) {
    return { running: false, home, pid: runtime.pid, problem: "it is still starting" };
  }
  const answer = await askTenant(dir, runtime);
  if (!answer) {
    return { running: false, home, pid: runtime.pid, problem: `it does not answer on ${runtime.url}` };
  }
  const urls = tenantUrls(runtime.url, answer.tenantId);
  return {
    running: true,
    home,
    url: runtime.url,
    port: Number(new URL(runtime.url).port),
    pid: runtime.pid,
    tenantId: answer.tenantId,
    domain: answer.domain,
    authority: urls.authority,
    issuer: urls.issuer,
    caFile: tenantCaFile(dir),
    startedAt: runtime.startedAt,
    uptimeSeconds: Math.max(0, Math.round((Date.now() - Date.parse(runtime.startedAt)) / 1000)),
    autoApprove: answer.autoApprove,
    logFile: runtime.logFile,
  };
}

interface AdminStatus {
  tenantId: string;
  domain: string;
  autoApprove: string | null;
}

async function askTenant(dir: string, runtime: TenantRuntime): Promise<AdminStatus | undefined> {
  try {
    const caPem = await readFile(tenantCaFile(dir), "utf8");
    const adminToken = (await readFile(adminTokenFile(dir), "utf8")).trim();
    const { status, body } = await getJson(`${runtime.url}/_admin/status`, {
      caPem,
      headers: { authorization: `Bearer ${adminToken}` },
    });
    return status === 200 ? (body as AdminStatus) : undefined;
  } catch {
    return undefined;
  }
}

/** Prints the status; returns the exit code (1 when no tenant runs, so scripts can test it). */
export async function runTenantStatus(ui: Ui, home?: string): Promise<number> {
  const status = await tenantStatus(home);
  if (ui.json) ui.printJson(status);
  else if (status.running) printRunning(ui, status);
  else {
    ui.print(
      status.problem
        ? `The dev tenant (pid ${status.pid}) is not ready: ${status.problem}.`
        : "The dev tenant is not running.",
    );
    ui.note("Start it with `mcp-entra tenant start --detach`.");
  }
  return status.running ? 0 : 1;
}

export function printRunning(ui: Ui, status: RunningTenantStatus): void {
  ui.print(
    `Dev tenant running at ${status.url} (pid ${status.pid}, up ${formatDuration(status.uptimeSeconds)})`,
  );
  const rows: [string, string][] = [
    ["Tenant id", status.tenantId],
    ["Domain", status.domain],
    ["Authority", status.authority],
    ["Issuer", status.issuer],
    ["CA file", status.caFile],
    ["Auto-approve", status.autoApprove ? `on, signs in ${status.autoApprove} without pages` : "off"],
  ];
  if (status.logFile) rows.push(["Log", status.logFile]);
  for (const [label, value] of rows) ui.print(`  ${`${label}:`.padEnd(14)}${value}`);
}

export function formatDuration(totalSeconds: number): string {
  const days = Math.floor(totalSeconds / 86400);
  const hours = Math.floor((totalSeconds % 86400) / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (days) return `${days}d ${hours}h`;
  if (hours) return `${hours}h ${minutes}m`;
  if (minutes) return `${minutes}m ${seconds}s`;
  return `${seconds}s`;
}

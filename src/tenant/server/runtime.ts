import { randomBytes } from "node:crypto";
import { link, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ensurePrivateDir, writeJsonFileAtomic } from "../../core/fs.js";
import { isProcessAlive, processStartTime } from "../../core/processes.js";

/**
 * The runtime file (`<tenant dir>/runtime.json`) says which process serves a tenant folder. It is
 * created exclusively before the tenant opens its state (so one folder never has two writers), filled
 * in once the tenant listens, and removed when it stops. A file whose process is gone is stale and is
 * cleaned up by whoever finds it. Only node built-ins here: `tenant status` must start fast.
 */
export interface TenantRuntime {
  pid: number;
  /** The process's start time as the OS reports it, so a reused pid is not taken for the tenant. */
  processStart: string | null;
  phase: "starting" | "running";
  startedAt: string;
  port: number | null;
  url: string | null;
  tenantId: string | null;
  domain: string | null;
  /** The log file of a tenant started with --detach. */
  logFile: string | null;
}

export function runtimeFile(dir: string): string {
  return join(dir, "runtime.json");
}

/** The dev tenant's CA certificate: what other tools are told to trust. */
export function tenantCaFile(dir: string): string {
  return join(dir, "ca.pem");
}

/** The secret that guards the admin API (0600). */
export function adminTokenFile(dir: string): string {
  return join(dir, "admin-token");
}

export function tenantLogFile(dir: string): string {
  return join(dir, "tenant.log");
}

async function readRuntimeFile(dir: string): Promise<TenantRuntime | undefined> {
  try {
    const value = JSON.parse(await readFile(runtimeFile(dir), "utf8")) as TenantRuntime;
    return typeof value?.pid === "number" ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The tenant serving this folder (starting or running), or undefined; removes a stale file. */
export async function liveRuntime(dir: string): Promise<TenantRuntime | undefined> {
  const runtime = await readRuntimeFile(dir);
  if (runtime && isRuntimeAlive(runtime)) return runtime;
  if (runtime) await releaseRuntime(dir, runtime.pid);
  return undefined;
}

export function isRuntimeAlive(runtime: TenantRuntime): boolean {
  if (!isProcessAlive(runtime.pid)) return false;
  const start = processStartTime(runtime.pid);
  return start === null || runtime.processStart === null || start === runtime.processStart;
}

/**
 * Claims the folder for this process. Returns undefined when claimed, or the live runtime of the
 * tenant that already holds it. The file appears complete or not at all (written aside, then linked).
 */
export async function claimRuntime(dir: string, logFile: string | null): Promise<TenantRuntime | undefined> {
  await ensurePrivateDir(dir);
  const mine: TenantRuntime = {
    pid: process.pid,
    processStart: processStartTime(process.pid),
    phase: "starting",
    startedAt: new Date().toISOString(),
    port: null,
    url: null,
    tenantId: null,
    domain: null,
    logFile,
  };
  const temporary = `${runtimeFile(dir)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(temporary, `${JSON.stringify(mine, null, 2)}\n`, { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await link(temporary, runtimeFile(dir));
        return undefined;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      const holder = await liveRuntime(dir);
      if (holder) return holder;
    }
    throw new Error(`Could not claim ${runtimeFile(dir)}`);
  } finally {
    await rm(temporary, { force: true });
  }
}

/** Records what the tenant that holds the folder is now serving. */
export async function updateRuntime(dir: string, fields: Partial<TenantRuntime>): Promise<TenantRuntime> {
  const current = await readRuntimeFile(dir);
  if (!current || current.pid !== process.pid) {
    throw new Error(`${runtimeFile(dir)} is not held by this process`);
  }
  const next = { ...current, ...fields };
  await writeJsonFileAtomic(runtimeFile(dir), next);
  return next;
}

/** Removes the runtime file if it still names `pid`. */
export async function releaseRuntime(dir: string, pid: number): Promise<void> {
  const current = await readRuntimeFile(dir);
  if (current?.pid === pid) await rm(runtimeFile(dir), { force: true });
}

import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { devTenantHome, mcpEntraHome } from "../../core/paths.js";
import type { Ui } from "../../core/ui.js";
import { startDetached } from "../../tenant/server/detach.js";
import { liveRuntime } from "../../tenant/server/runtime.js";
import { printRunning, tenantStatus } from "./status.js";
import { stopDevTenantProcess } from "./stop.js";

/** What a reset keeps: the CA (so trust configured elsewhere stays valid), its TLS certificate, the log. */
const KEPT = new Set(["ca.pem", "ca-key.pem", "tls-cert.pem", "tls-key.pem", "tenant.log"]);

export interface ResetResult {
  removed: string[];
  /** The tenant was running; it was stopped and started again (in the background) on this port. */
  restartedOnPort?: number;
}

/**
 * Wipes a dev tenant: state (users, apps, grants, signing keys), admin token and runtime file.
 * A running tenant is stopped first and started again afterwards, with a new tenant id.
 */
export async function resetDevTenant(home: string): Promise<ResetResult> {
  const dir = devTenantHome(home);
  const running = await liveRuntime(dir);
  if (running) await stopDevTenantProcess(home);
  const names = await readdir(dir).catch(() => [] as string[]);
  const removed = names.filter((name) => !KEPT.has(name));
  for (const name of removed) await rm(join(dir, name), { recursive: true, force: true });
  if (!running?.port) return { removed };
  await startDetached({ home, port: running.port });
  return { removed, restartedOnPort: running.port };
}

export async function runTenantReset(ui: Ui, home = mcpEntraHome()): Promise<number> {
  if (!ui.yes) {
    const confirmed = await ui.ask<boolean>({
      kind: "confirm",
      message: `Wipe the dev tenant in ${devTenantHome(home)} (users, apps, keys; the CA is kept)?`,
      flag: "--yes",
      // A default only on a terminal: without one, a missing answer is an error naming --yes.
      default: ui.interactive ? false : undefined,
    });
    if (!confirmed) {
      ui.print("Nothing changed.");
      return 0;
    }
  }
  const result = await resetDevTenant(home);
  const status = result.restartedOnPort ? await tenantStatus(home) : undefined;
  if (ui.json) {
    ui.printJson({
      reset: true,
      removed: result.removed,
      restarted: Boolean(result.restartedOnPort),
      status,
    });
    return 0;
  }
  ui.print(`Reset the dev tenant in ${devTenantHome(home)}; the CA was kept.`);
  if (status?.running) {
    ui.note("It was running, so it was started again in the background:");
    printRunning(ui, status);
  }
  return 0;
}

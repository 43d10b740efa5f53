import { z } from "zod";
import { invalidFlag, UsageError } from "../../core/errors.js";
import { blankAsNaN, parseOptions } from "../../core/parse-options.js";
import { devTenantHome, mcpEntraHome } from "../../core/paths.js";
import type { Ui } from "../../core/ui.js";
import { startDetached } from "../../tenant/server/detach.js";
import { type DevTenant, startDevTenant } from "../../tenant/server/dev-tenant.js";
import { ensureDevTenant } from "../../tenant/server/ensure.js";
import { FAULT_SPEC_HELP, type FaultConfig, faultConfig } from "../../tenant/server/faults.js";
import { assertPortFree, resolveTenantPort } from "../../tenant/server/port.js";
import { liveRuntime, type TenantRuntime } from "../../tenant/server/runtime.js";
import { resolveAutoApproveUser } from "../../tenant/sign-in/auto-approve.js";
import { printRunning, tenantStatus } from "./status.js";

export const tenantStartOptions = z.object({
  port: z
    .preprocess(
      blankAsNaN,
      z.coerce
        .number({ message: "must be a port number" })
        .int("must be a whole number")
        .min(0, "must be from 0 to 65535")
        .max(65535, "must be from 0 to 65535"),
    )
    .optional(),
  detach: z.boolean().optional(),
  /** `--auto-approve` alone: the first administrator; `--auto-approve <upn|alias>`: that user. */
  autoApprove: z.union([z.literal(true), z.string().trim().min(1, "must name a user")]).optional(),
});
export type TenantStartOptions = z.output<typeof tenantStartOptions>;

export async function runTenantStart(raw: unknown, ui: Ui, home = mcpEntraHome()): Promise<number> {
  const options = parseOptions(tenantStartOptions, raw);
  const { port, explicit } = resolveTenantPort(options.port);
  const running = await liveRuntime(devTenantHome(home));
  if (running) {
    await reportAlreadyRunning(ui, home, running, explicit ? port : undefined, options);
    return 0;
  }
  if (options.detach) {
    await assertPortFree(port);
    const spinner = await ui.spinner("Starting the dev tenant in the background…");
    try {
      await startDetached({ home, port, autoApprove: options.autoApprove });
    } catch (error) {
      spinner.fail();
      throw error;
    }
    spinner.succeed("Dev tenant started in the background; stop it with `mcp-entra tenant stop`.");
    await printStatus(ui, home);
    return 0;
  }
  await runInForeground(ui, home, port, options);
  return 0;
}

async function runInForeground(
  ui: Ui,
  home: string,
  port: number,
  options: TenantStartOptions,
): Promise<void> {
  const tenant = await startDevTenant({
    home,
    port,
    logFile: process.env.MCP_ENTRA_TENANT_LOG || undefined,
    faults: faultsFromEnvironment(),
  });
  try {
    await applyAutoApprove(tenant, options.autoApprove);
  } catch (error) {
    await tenant.stop();
    throw error;
  }
  await printStatus(ui, home);
  if (tenant.store.state.settings.autoApproveUserId) {
    ui.warn("auto-approve is on: every sign-in succeeds without a page. For tests and CI only.");
  }
  ui.note(
    process.env.MCP_ENTRA_TENANT_LOG ? "Stop it with `mcp-entra tenant stop`." : "Press Ctrl-C to stop.",
  );
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
    const stop = (name: NodeJS.Signals) => {
      for (const other of signals) process.removeListener(other, stop);
      resolve(name);
    };
    for (const name of signals) process.on(name, stop);
  });
  ui.note(`Stopping the dev tenant (${signal})…`);
  await tenant.stop();
  ui.note("Stopped.");
}

/**
 * MCP_ENTRA_TENANT_FAULTS: fault injection from the start, for CI and tests that run the CLI (a
 * detached tenant inherits it), e.g. `propagation` for Entra-like propagation after writes.
 */
function faultsFromEnvironment(): FaultConfig | undefined {
  const spec = process.env.MCP_ENTRA_TENANT_FAULTS;
  if (!spec?.trim()) return undefined;
  try {
    return faultConfig(spec);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    throw new UsageError("INVALID_FAULTS", `MCP_ENTRA_TENANT_FAULTS: ${error.message}`, {
      suggestion: `Write it as ${FAULT_SPEC_HELP}, or unset it.`,
    });
  }
}

/** Auto-approve is set for each run: on with the flag, off without it. */
async function applyAutoApprove(tenant: DevTenant, wanted: TenantStartOptions["autoApprove"]): Promise<void> {
  const user = wanted === undefined ? undefined : resolveAutoApproveUser(tenant.store.state, wanted);
  if (wanted !== undefined && !user) throw unknownAutoApproveUser(wanted);
  const userId = user?.id ?? null;
  if (tenant.store.state.settings.autoApproveUserId !== userId) {
    await tenant.store.commit((state) => {
      state.settings.autoApproveUserId = userId;
    });
  }
}

function unknownAutoApproveUser(wanted: string | true): UsageError {
  return invalidFlag(
    "--auto-approve",
    wanted === true ? "the dev tenant has no users" : `no user ${wanted} in the dev tenant`,
    "Name a user by UPN or alias (see `mcp-entra tenant users`), or give the flag alone for the default.",
  );
}

async function reportAlreadyRunning(
  ui: Ui,
  home: string,
  running: TenantRuntime,
  wantedPort: number | undefined,
  options: TenantStartOptions,
): Promise<void> {
  if (wantedPort && running.port && wantedPort !== running.port) {
    throw new UsageError(
      "TENANT_ALREADY_RUNNING",
      `--port: the dev tenant of this home already runs on port ${running.port} (pid ${running.pid}), not ${wantedPort}.`,
      { suggestion: "Stop it first with `mcp-entra tenant stop`, or leave out --port." },
    );
  }
  ui.note(`The dev tenant is already running (pid ${running.pid}).`);
  if (options.autoApprove !== undefined) {
    const { admin } = await ensureDevTenant({ home });
    await admin.setAutoApprove(options.autoApprove).catch((error: unknown) => {
      throw error instanceof UsageError ? unknownAutoApproveUser(options.autoApprove!) : error;
    });
  }
  await printStatus(ui, home);
}

async function printStatus(ui: Ui, home: string): Promise<void> {
  const status = await tenantStatus(home);
  if (ui.json) ui.printJson(status);
  else if (status.running) printRunning(ui, status);
  else ui.print(`The dev tenant (pid ${status.pid ?? "?"}) is not ready: ${status.problem ?? "it stopped"}.`);
}

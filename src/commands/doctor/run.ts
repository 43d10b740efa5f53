import { mcpEntraHome } from "../../core/paths.js";
import type { Ui } from "../../core/ui.js";
import { renderDoctor } from "../../entra/doctor/doctor-report.js";
import { runDoctor } from "../../entra/doctor/run-doctor.js";
import { resolveTarget } from "../../entra/login/resolve-target.js";
import { checkTenantFlag } from "../../entra/tenant-flag.js";

/** `doctor`: the tenant of mcp-entra.json (or --tenant), the checks, text or --json; the exit code. */
export async function runDoctorCommand(raw: Record<string, unknown>, ui: Ui): Promise<number> {
  const { tenant: rawTenant, ...options } = raw;
  // --tenant is checked before anything is read, as by every command.
  const tenant = checkTenantFlag(rawTenant);
  const home = mcpEntraHome();
  const result = await runDoctor(options, {
    target: (config) =>
      resolveTarget({
        tenant: tenant ?? (config.tenant?.kind === "entra" ? config.tenant.id : "dev"),
        home,
        ui,
      }),
  });
  if (ui.json) ui.printJson(result);
  else renderDoctor(result, ui);
  return result.exitCode;
}

import { mcpEntraHome } from "../../core/paths.js";
import type { Ui } from "../../core/ui.js";
import { resolveTarget } from "../../entra/login/resolve-target.js";
import { renderRegister } from "../../entra/registration/register-report.js";
import { runRegister } from "../../entra/registration/run-register.js";
import { checkTenantFlag } from "../../entra/tenant-flag.js";

/** `register`: picks the tenant, runs the registration and prints the result. */
export async function runRegisterCommand(raw: Record<string, unknown>, ui: Ui): Promise<number> {
  const { tenant: rawTenant, yes: _yes, ...options } = raw;
  const tenant = checkTenantFlag(rawTenant);
  const home = mcpEntraHome();
  const result = await runRegister(options, {
    ui,
    target: () => resolveTarget({ tenant, home, ui }),
  });
  renderRegister(result, ui);
  return 0;
}

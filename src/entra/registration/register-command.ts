import { mcpEntraHome } from "../../core/paths.js";
import type { Ui } from "../../core/ui.js";
import { resolveTarget } from "../login/resolve-target.js";
import { checkTenantFlag } from "../tenant-flag.js";
import { renderRegister } from "./register-report.js";
import { runRegister } from "./run-register.js";

/** The CLI's `register`: picks the tenant, runs the registration and prints the result. */
export async function runRegisterCommand(raw: Record<string, unknown>, ui: Ui): Promise<void> {
  const { tenant: rawTenant, yes: _yes, ...options } = raw;
  const tenant = checkTenantFlag(rawTenant);
  const home = mcpEntraHome();
  const result = await runRegister(options, {
    ui,
    target: () => resolveTarget({ tenant, home, ui }),
  });
  renderRegister(result, ui);
}

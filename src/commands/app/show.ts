import type { Ui } from "../../core/ui.js";
import { runAppShow } from "../../entra/registration/lifecycle/app-show.js";
import { renderAppShow } from "../../entra/registration/lifecycle/show-report.js";
import { lifecycleInput } from "../registration-target.js";

/** `app show`: the registration in the tenant and its drift from mcp-entra.json (exit 1 when it is gone). */
export async function runAppShowCommand(raw: Record<string, unknown>, ui: Ui): Promise<number> {
  const { options, deps } = lifecycleInput(raw, ui);
  renderAppShow(await runAppShow(options, deps), ui);
  return 0;
}

import type { Ui } from "../../core/ui.js";
import { runAppDelete } from "../../entra/registration/lifecycle/app-delete.js";
import { renderAppDelete } from "../../entra/registration/lifecycle/delete-report.js";
import { lifecycleInput } from "../registration-target.js";

/** `app delete`: the app, its service principal, consents and role assignments; the project files cleaned. */
export async function runAppDeleteCommand(raw: Record<string, unknown>, ui: Ui): Promise<number> {
  const { options, deps } = lifecycleInput(raw, ui);
  renderAppDelete(await runAppDelete(options, deps), ui);
  return 0;
}

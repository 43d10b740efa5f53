import type { Ui } from "../../core/ui.js";
import { renderSecretList } from "../../entra/registration/lifecycle/list-report.js";
import { runSecretList } from "../../entra/registration/lifecycle/secret-list.js";
import { lifecycleInput } from "../registration-target.js";

/** `secret list`: the app's secrets (never values) and federated credentials. */
export async function runSecretListCommand(raw: Record<string, unknown>, ui: Ui): Promise<number> {
  const { options, deps } = lifecycleInput(raw, ui);
  renderSecretList(await runSecretList(options, deps), ui);
  return 0;
}

import type { Ui } from "../../core/ui.js";
import { renderSecretRotate } from "../../entra/registration/lifecycle/rotate-report.js";
import { runSecretRotate } from "../../entra/registration/lifecycle/secret-rotate.js";
import { lifecycleInput } from "../registration-target.js";

/** `secret rotate`: a new client secret in .env, then the old one removed. */
export async function runSecretRotateCommand(raw: Record<string, unknown>, ui: Ui): Promise<number> {
  const { options, deps } = lifecycleInput(raw, ui);
  renderSecretRotate(await runSecretRotate(options, deps), ui);
  return 0;
}

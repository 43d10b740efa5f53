import { readPackageVersion } from "../../core/package-version.js";
import type { Ui } from "../../core/ui.js";
import { runQuickstart } from "../../quickstart/run-quickstart.js";

/** `quickstart`: runs it, prints the result (text or --json) and returns the exit code. */
export async function runQuickstartCommand(dir: string | undefined, ui: Ui): Promise<number> {
  const result = await runQuickstart({ dir }, { ui, clientVersion: readPackageVersion() });
  const { quickstartExitCode, renderQuickstart } = await import("../../quickstart/quickstart-report.js");
  renderQuickstart(result, ui);
  return quickstartExitCode(result);
}

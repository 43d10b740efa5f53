import type { Ui } from "../../core/ui.js";
import { explainAadsts } from "../../entra/explain.js";

/** `explain <code>`: the catalogue's entry, as text or --json (an unknown code is a usage error). */
export async function runExplainCommand(code: string, ui: Ui): Promise<number> {
  const explanation = explainAadsts(code);
  if (ui.json) {
    ui.printJson(explanation);
    return 0;
  }
  ui.print(`${ui.color.bold(explanation.code)} ${ui.color.dim(explanation.error)}`);
  ui.print(explanation.message);
  if (explanation.cause) ui.print(`${ui.color.dim("Cause:")} ${explanation.cause}`);
  if (explanation.field) ui.print(`${ui.color.dim("Field:")} ${explanation.field}`);
  if (explanation.fix) ui.print(`${ui.color.dim("Fix:  ")} ${explanation.fix}`);
  return 0;
}

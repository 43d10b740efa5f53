import type { Command } from "commander";
import { uiFor } from "../ui-for.js";

/** `mcp-entra explain <code>`: what an AADSTS error means and how to fix the registration. */
export function registerExplainCommand(program: Command): void {
  program
    .command("explain")
    .description(
      "explain an Entra AADSTS error code (or a test-flow failure code): cause, registration field, fix",
    )
    .argument("<code>", "e.g. AADSTS50011, 50011 or PRM_RESOURCE_MISMATCH")
    .action(async (code: string, _options, command: Command) => {
      const ui = uiFor(command);
      const { explainAadsts } = await import("../../entra/explain.js");
      const explanation = explainAadsts(code);
      if (ui.json) return ui.printJson(explanation);
      ui.print(`${ui.color.bold(explanation.code)} ${ui.color.dim(explanation.error)}`);
      ui.print(explanation.message);
      if (explanation.cause) ui.print(`${ui.color.dim("Cause:")} ${explanation.cause}`);
      if (explanation.field) ui.print(`${ui.color.dim("Field:")} ${explanation.field}`);
      if (explanation.fix) ui.print(`${ui.color.dim("Fix:  ")} ${explanation.fix}`);
    });
}

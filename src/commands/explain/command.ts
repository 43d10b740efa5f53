import type { Command } from "commander";
import { exitCodeAction } from "../exit-code.js";
import { uiFor } from "../ui-for.js";

/** `mcp-entra explain <code>`: what an AADSTS error means and how to fix the registration. */
export function registerExplainCommand(program: Command): void {
  program
    .command("explain")
    .description(
      "explain an Entra AADSTS error code (or a test-flow failure code): cause, registration field, fix",
    )
    .argument("<code>", "e.g. AADSTS50011, 50011 or PRM_RESOURCE_MISMATCH")
    .action(
      exitCodeAction(async (command, code: string) => {
        const { runExplainCommand } = await import("./run.js");
        return runExplainCommand(code, uiFor(command));
      }),
    );
}

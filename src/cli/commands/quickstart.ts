import type { Command } from "commander";
import { uiFor } from "../ui-for.js";
import { readPackageVersion } from "../version.js";

/** `mcp-entra quickstart [dir]`: zero to a green end-to-end flow on the dev tenant. */
export function registerQuickstartCommand(program: Command): void {
  program
    .command("quickstart")
    .description("start the dev tenant, scaffold and register a remote server, run it and test it end to end")
    .argument("[dir]", "the project folder (default ./mcp-entra-quickstart; re-runs reuse it)")
    .action(async (dir: string | undefined, _options, command: Command) => {
      const ui = uiFor(command);
      const { useJitlessZod } = await import("../../core/short-lived-zod.js");
      await useJitlessZod();
      const { runQuickstart } = await import("../../quickstart/run-quickstart.js");
      const result = await runQuickstart({ dir }, { ui, clientVersion: readPackageVersion() });
      const { quickstartExitCode, renderQuickstart } = await import("../../quickstart/quickstart-report.js");
      renderQuickstart(result, ui);
      process.exitCode = quickstartExitCode(result);
    });
}

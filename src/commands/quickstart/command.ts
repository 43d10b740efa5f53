import type { Command } from "commander";
import { exitCodeAction } from "../exit-code.js";
import { uiFor } from "../ui-for.js";

/** `mcp-entra quickstart [dir]`: zero to a green end-to-end flow on the dev tenant. */
export function registerQuickstartCommand(program: Command): void {
  program
    .command("quickstart")
    .description("start the dev tenant, scaffold and register a remote server, run it and test it end to end")
    .argument("[dir]", "the project folder (default ./mcp-entra-quickstart; re-runs reuse it)")
    .action(
      exitCodeAction(async (command, dir: string | undefined) => {
        const { useJitlessZod } = await import("../../core/short-lived-zod.js");
        await useJitlessZod();
        const { runQuickstartCommand } = await import("./run.js");
        return runQuickstartCommand(dir, uiFor(command));
      }),
    );
}

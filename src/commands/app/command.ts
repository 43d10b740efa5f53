import type { Command } from "commander";
import { exitCodeAction } from "../exit-code.js";
import { withRegistrationOptions } from "../registration-options.js";
import { uiFor } from "../ui-for.js";

/** `mcp-entra app …`: the project's app registration as the tenant has it. */
export function registerAppCommands(program: Command): void {
  const app = program.command("app").description("show or delete the project's app registration");

  withRegistrationOptions(app.command("show"))
    .description("the registration in the tenant, and its drift from mcp-entra.json (exit 1 when it is gone)")
    .action(
      exitCodeAction(async (command) => {
        const { runAppShowCommand } = await import("./show.js");
        return runAppShowCommand(command.opts(), uiFor(command));
      }),
    );

  withRegistrationOptions(app.command("delete"))
    .description(
      "delete the app, its service principal, consents and role assignments; clean the project files",
    )
    .option("--dry-run", "list what would be deleted, delete nothing")
    .option("-y, --yes", "do not ask for confirmation")
    .action(
      exitCodeAction(async (command) => {
        const { runAppDeleteCommand } = await import("./delete.js");
        return runAppDeleteCommand(command.opts(), uiFor(command));
      }),
    );
}

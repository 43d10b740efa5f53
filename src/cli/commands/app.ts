import type { Command } from "commander";
import { uiFor } from "../ui-for.js";
import { withRegistrationOptions } from "./registration-options.js";

/** `mcp-entra app …`: the project's app registration as the tenant has it. */
export function registerAppCommands(program: Command): void {
  const app = program.command("app").description("show or delete the project's app registration");

  withRegistrationOptions(app.command("show"))
    .description("the registration in the tenant, and its drift from mcp-entra.json (exit 1 when it is gone)")
    .action(async (_options, command: Command) => {
      const { runLifecycleCommand } = await import("../../entra/registration/lifecycle/lifecycle-command.js");
      await runLifecycleCommand("app show", command.opts(), uiFor(command));
    });

  withRegistrationOptions(app.command("delete"))
    .description(
      "delete the app, its service principal, consents and role assignments; clean the project files",
    )
    .option("--dry-run", "list what would be deleted, delete nothing")
    .option("-y, --yes", "do not ask for confirmation")
    .action(async (_options, command: Command) => {
      const { runLifecycleCommand } = await import("../../entra/registration/lifecycle/lifecycle-command.js");
      await runLifecycleCommand("app delete", command.opts(), uiFor(command));
    });
}

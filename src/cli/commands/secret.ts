import type { Command } from "commander";
import { uiFor } from "../ui-for.js";
import { withRegistrationOptions } from "./registration-options.js";

/** `mcp-entra secret …`: the client secret mcp-entra manages for a registration. */
export function registerSecretCommands(program: Command): void {
  const secret = program.command("secret").description("rotate or list the app's client secrets");

  withRegistrationOptions(secret.command("rotate"))
    .description("add a new client secret, write it to .env, then remove the old one")
    .option(
      "--secret-lifetime <days>",
      "lifetime of the new secret in days (default: as registered, else 180)",
    )
    .option("--show-secret", "print the new secret's value (it is always written to .env)")
    .option("--dry-run", "list the Graph calls it would make, change nothing")
    .action(async (_options, command: Command) => {
      const { runLifecycleCommand } = await import("../../entra/registration/lifecycle/lifecycle-command.js");
      await runLifecycleCommand("secret rotate", command.opts(), uiFor(command));
    });

  withRegistrationOptions(secret.command("list"))
    .description("the app's secrets (ids, hints, expiry; never values) and federated credentials")
    .action(async (_options, command: Command) => {
      const { runLifecycleCommand } = await import("../../entra/registration/lifecycle/lifecycle-command.js");
      await runLifecycleCommand("secret list", command.opts(), uiFor(command));
    });
}

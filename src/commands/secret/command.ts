import type { Command } from "commander";
import { exitCodeAction } from "../exit-code.js";
import { withRegistrationOptions } from "../registration-options.js";
import { uiFor } from "../ui-for.js";

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
    .action(
      exitCodeAction(async (command) => {
        const { runSecretRotateCommand } = await import("./rotate.js");
        return runSecretRotateCommand(command.opts(), uiFor(command));
      }),
    );

  withRegistrationOptions(secret.command("list"))
    .description("the app's secrets (ids, hints, expiry; never values) and federated credentials")
    .action(
      exitCodeAction(async (command) => {
        const { runSecretListCommand } = await import("./list.js");
        return runSecretListCommand(command.opts(), uiFor(command));
      }),
    );
}

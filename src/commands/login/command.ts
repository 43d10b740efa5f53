import { type Command, Option } from "commander";
import { exitCodeAction } from "../exit-code.js";
import { uiFor } from "../ui-for.js";

/** `mcp-entra login`, `logout`, `whoami`: the tenant commands work on, and who they act as. */
export function registerLoginCommands(program: Command): void {
  program
    .command("login")
    .description("sign in to a tenant for Microsoft Graph and make it the default target")
    .option("--tenant <tenant>", "dev (default), a tenant id, or a domain")
    .addOption(
      new Option("--method <method>", "how to sign in (Entra)").choices([
        "device-code",
        "browser",
        "azure-cli",
        "client-credentials",
        "federated-token-file",
      ]),
    )
    .option(
      "--client-id <id>",
      "Entra: an app registration to sign in through (default: the Azure CLI's sign-in, else Microsoft Graph Command Line Tools)",
    )
    .option(
      "--create-app",
      "Entra: create a bootstrap app with the Graph permissions register needs, with admin consent, and sign in through it",
    )
    .option("--client-secret <secret>", "client-credentials: the secret (prefer env MCP_ENTRA_CLIENT_SECRET)")
    .option("--certificate <pem>", "client-credentials: certificate and private key (PEM)")
    .option("--federated-token-file <file>", "federated-token-file: e.g. the GitHub Actions OIDC token")
    .option("--user <upn>", "dev tenant: the test user to sign in as (default: its administrator)")
    .action(
      exitCodeAction(async (command) => {
        const { runLoginCommand } = await import("./login.js");
        return runLoginCommand(command.opts(), uiFor(command));
      }),
    );

  program
    .command("logout")
    .description("forget the remembered sign-in and its cached tokens (commands go back to the dev tenant)")
    .action(
      exitCodeAction(async (command) => {
        const { runLogoutCommand } = await import("./logout.js");
        return runLogoutCommand(uiFor(command));
      }),
    );

  program
    .command("whoami")
    .description("show the tenant and account commands use, with their Graph permissions")
    .option("--tenant <tenant>", "dev, a tenant id or a domain (default: the remembered one, else dev)")
    .action(
      exitCodeAction(async (command) => {
        const { runWhoamiCommand } = await import("./whoami.js");
        return runWhoamiCommand(command.opts(), uiFor(command));
      }),
    );
}

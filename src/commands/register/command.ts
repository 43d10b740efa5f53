import { type Command, Option } from "commander";
import { exitCodeAction } from "../exit-code.js";
import { uiFor } from "../ui-for.js";

const list = (value: string, previous: string[] = []) => [...previous, value];

/** `mcp-entra register`: the Entra app registration for an MCP server or client, idempotently. */
export function registerRegisterCommand(program: Command): void {
  program
    .command("register")
    .description("create or update the Entra app registration for this project (idempotent)")
    .addOption(
      new Option("--preset <preset>", "what to register").choices(["local", "remote", "proxy", "ci"]),
    )
    .option("--dir <path>", "the project folder (mcp-entra.json and .env go here)", ".")
    .option(
      "--tenant <tenant>",
      "dev, a tenant id or a domain (default: the tenant of `mcp-entra login`, else dev)",
    )
    .option("--name <name>", "display name (default: '<project> (MCP <preset>)')")
    .option("--sign-in-audience <audience>", "AzureADMyOrg (default), AzureADMultipleOrgs, …")
    .option(
      "--server-url <url>",
      "the MCP server's canonical URL (remote, proxy; default http://localhost:3000/mcp)",
    )
    .option(
      "--app-id-uri <uri>",
      "Application ID URI (default: the https server URL unless on localhost, else api://{appId})",
    )
    .option("--redirect-uri <uri>", "redirect URI on the preset's platform (repeatable)", list)
    .option("--web-redirect-uri <uri>", "web platform redirect URI (repeatable)", list)
    .option("--spa-redirect-uri <uri>", "single-page app redirect URI (repeatable)", list)
    .option("--public-redirect-uri <uri>", "public client (mobile/desktop) redirect URI (repeatable)", list)
    .option("--scope <name>", "exposed delegated scope (repeatable; default user_impersonation)", list)
    .option("--role <value>", "app role (repeatable; default Tools.Read, Tools.Admin)", list)
    .option("--token-version <n>", "access token version the API accepts: 1 or 2 (default 2)")
    .option("--pre-authorize <client-id>", "client id pre-authorized for every scope (repeatable)", list)
    .option("--no-pre-authorize-vscode", "do not pre-authorize Visual Studio Code")
    .addOption(
      new Option("--credential <kind>", "the app's credential").choices([
        "secret",
        "certificate",
        "federated",
        "managed-identity",
        "none",
      ]),
    )
    .option(
      "--managed-identity <id>",
      "remote/proxy: the user-assigned managed identity (client id or principal id) the server signs in with on Azure",
    )
    .option("--certificate <pem>", "certificate for --credential certificate")
    .option("--secret-lifetime <days>", "client secret lifetime in days (default 180)")
    .option("--new-secret", "add a new client secret even if .env holds a valid one")
    .option("--federated-issuer <url>", "federated credential issuer")
    .option("--federated-subject <subject>", "federated credential subject")
    .option(
      "--federated-audience <audience>",
      "federated credential audience (default api://AzureADTokenExchange)",
    )
    .option("--github-repo <owner/name>", "ci: GitHub repository whose workflows may sign in")
    .option("--github-ref <ref>", "ci: the branch or tag, e.g. refs/heads/main (default)")
    .option("--github-environment <name>", "ci: the GitHub environment instead of a ref")
    .option("--owner <id-or-upn>", "additional owner (repeatable)", list)
    .option("--service-management-reference <guid>", "service tree id (tenants that require one)")
    .option("--admin-consent", "grant tenant-wide consent to the app's Graph permissions (default)")
    .option("--no-admin-consent", "do not grant tenant-wide consent to the app's Graph permissions")
    .option("--api <app-id>", "ci: the API whose roles CI tokens carry (default: the project's remote app)")
    .option("--ci-role <value>", "ci: app role to assign (repeatable; default Tools.Read)", list)
    .option("--graph-permission <value>", "delegated Graph permission (repeatable; default User.Read)", list)
    .option(
      "--graph-app-permission <value>",
      "application Graph permission, e.g. User.Read.All (repeatable; admin consent assigns it)",
      list,
    )
    .option("--dry-run", "print the Graph calls it would make, write nothing")
    .option("--show-secret", "print a new client secret's value (it is always written to .env)")
    .option("-y, --yes", "take defaults instead of asking")
    .action(
      exitCodeAction(async (command) => {
        const { runRegisterCommand } = await import("./run.js");
        return runRegisterCommand(command.opts(), uiFor(command));
      }),
    );
}

import type { Command } from "commander";
import { exitCodeAction } from "../exit-code.js";
import { uiFor } from "../ui-for.js";

/** `mcp-entra tenant …`: the local dev tenant. Each action loads its implementation when it runs. */
export function registerTenantCommands(program: Command): void {
  const tenant = program.command("tenant").description("run and manage the local dev tenant");

  tenant
    .command("start")
    .description("start the dev tenant (foreground; --detach for the background)")
    .option("--port <port>", "HTTPS port (env MCP_ENTRA_TENANT_PORT; default 44331)")
    .option("--detach", "run in the background and return once it answers")
    .option("--auto-approve [user]", "sign in this user (UPN or alias; default the admin) without pages")
    .action(
      exitCodeAction(async (command) => {
        const { runTenantStart } = await import("./start.js");
        return runTenantStart(command.opts(), uiFor(command));
      }),
    );

  tenant
    .command("stop")
    .description("stop the dev tenant of this home")
    .action(
      exitCodeAction(async (command) => {
        const { runTenantStop } = await import("./stop.js");
        return runTenantStop(uiFor(command));
      }),
    );

  tenant
    .command("status")
    .description("show the running dev tenant (exit code 1 when none runs)")
    .action(
      exitCodeAction(async (command) => {
        const { runTenantStatus } = await import("./status.js");
        return runTenantStatus(uiFor(command));
      }),
    );

  tenant
    .command("reset")
    .description("wipe users, apps and keys (keeps the CA); restarts a running tenant")
    .option("--yes", "do not ask")
    .action(
      exitCodeAction(async (command) => {
        const { runTenantReset } = await import("./reset.js");
        return runTenantReset(uiFor(command));
      }),
    );

  const users = tenant.command("users").description("list, add and remove test users");
  users
    .command("list", { isDefault: true })
    .description("list test users")
    .action(
      exitCodeAction(async (command) => {
        const { runTenantUsersList } = await import("./users.js");
        return runTenantUsersList(uiFor(command));
      }),
    );
  users
    .command("add <alias>")
    .description("add a test user <alias>@<tenant domain>")
    .option("--name <display name>", "display name (default: the alias)")
    .option("--password <password>", "password (default: the default test password)")
    .option("--admin", "make the user an administrator")
    .action(
      exitCodeAction(async (command, alias: string) => {
        const { runTenantUsersAdd } = await import("./users.js");
        return runTenantUsersAdd(alias, command.opts(), uiFor(command));
      }),
    );
  users
    .command("remove <upn>")
    .description("remove a test user (UPN or alias)")
    .action(
      exitCodeAction(async (command, upn: string) => {
        const { runTenantUsersRemove } = await import("./users.js");
        return runTenantUsersRemove(upn, uiFor(command));
      }),
    );

  const identities = tenant
    .command("identities")
    .description("list and add user-assigned managed identities (for --credential managed-identity)");
  identities
    .command("list", { isDefault: true })
    .description("list managed identities")
    .action(
      exitCodeAction(async (command) => {
        const { runTenantIdentitiesList } = await import("./identities.js");
        return runTenantIdentitiesList(uiFor(command));
      }),
    );
  identities
    .command("add <name>")
    .description("add a user-assigned managed identity (new client id and principal id)")
    .action(
      exitCodeAction(async (command, name: string) => {
        const { runTenantIdentitiesAdd } = await import("./identities.js");
        return runTenantIdentitiesAdd(name, uiFor(command));
      }),
    );

  tenant
    .command("env")
    .description("print shell lines that point other tools at the dev tenant (eval them)")
    .action(
      exitCodeAction(async (command) => {
        const { runTenantEnv } = await import("./env.js");
        return runTenantEnv(uiFor(command));
      }),
    );

  tenant
    .command("keys")
    .description("manage the dev tenant's token signing keys")
    .command("rotate")
    .description("make a new signing key active; the old one stays published for a grace period")
    .option("--grace-hours <hours>", "how long the old key stays in the JWKS (default 24)")
    .action(
      exitCodeAction(async (command) => {
        const { runTenantKeysRotate } = await import("./keys.js");
        return runTenantKeysRotate(command.opts(), uiFor(command));
      }),
    );
}

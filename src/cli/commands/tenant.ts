import type { Command } from "commander";
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
    .action(async (_options, command: Command) => {
      const { runTenantStart } = await import("../../tenant/commands/start.js");
      await runTenantStart(command.opts(), uiFor(command));
    });

  tenant
    .command("stop")
    .description("stop the dev tenant of this home")
    .action(async (_options, command: Command) => {
      const { runTenantStop } = await import("../../tenant/commands/stop.js");
      await runTenantStop(uiFor(command));
    });

  tenant
    .command("status")
    .description("show the running dev tenant (exit code 1 when none runs)")
    .action(async (_options, command: Command) => {
      const { runTenantStatus } = await import("../../tenant/commands/status.js");
      process.exitCode = await runTenantStatus(uiFor(command));
    });

  tenant
    .command("reset")
    .description("wipe users, apps and keys (keeps the CA); restarts a running tenant")
    .option("--yes", "do not ask")
    .action(async (_options, command: Command) => {
      const { runTenantReset } = await import("../../tenant/commands/reset.js");
      await runTenantReset(uiFor(command));
    });

  const users = tenant.command("users").description("list, add and remove test users");
  users
    .command("list", { isDefault: true })
    .description("list test users")
    .action(async (_options, command: Command) => {
      const { runTenantUsersList } = await import("../../tenant/commands/users.js");
      await runTenantUsersList(uiFor(command));
    });
  users
    .command("add <alias>")
    .description("add a test user <alias>@<tenant domain>")
    .option("--name <display name>", "display name (default: the alias)")
    .option("--password <password>", "password (default: the default test password)")
    .option("--admin", "make the user an administrator")
    .action(async (alias: string, _options, command: Command) => {
      const { runTenantUsersAdd } = await import("../../tenant/commands/users.js");
      await runTenantUsersAdd(alias, command.opts(), uiFor(command));
    });
  users
    .command("remove <upn>")
    .description("remove a test user (UPN or alias)")
    .action(async (upn: string, _options, command: Command) => {
      const { runTenantUsersRemove } = await import("../../tenant/commands/users.js");
      await runTenantUsersRemove(upn, uiFor(command));
    });

  const identities = tenant
    .command("identities")
    .description("list and add user-assigned managed identities (for --credential managed-identity)");
  identities
    .command("list", { isDefault: true })
    .description("list managed identities")
    .action(async (_options, command: Command) => {
      const { runTenantIdentitiesList } = await import("../../tenant/commands/identities.js");
      await runTenantIdentitiesList(uiFor(command));
    });
  identities
    .command("add <name>")
    .description("add a user-assigned managed identity (new client id and principal id)")
    .action(async (name: string, _options, command: Command) => {
      const { runTenantIdentitiesAdd } = await import("../../tenant/commands/identities.js");
      await runTenantIdentitiesAdd(name, uiFor(command));
    });

  tenant
    .command("env")
    .description("print shell lines that point other tools at the dev tenant (eval them)")
    .action(async (_options, command: Command) => {
      const { runTenantEnv } = await import("../../tenant/commands/env.js");
      await runTenantEnv(uiFor(command));
    });

  tenant
    .command("keys")
    .description("manage the dev tenant's token signing keys")
    .command("rotate")
    .description("make a new signing key active; the old one stays published for a grace period")
    .option("--grace-hours <hours>", "how long the old key stays in the JWKS (default 24)")
    .action(async (_options, command: Command) => {
      const { runTenantKeysRotate } = await import("../../tenant/commands/keys.js");
      await runTenantKeysRotate(command.opts(), uiFor(command));
    });
}

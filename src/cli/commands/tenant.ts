import type { Command } from "commander";
import { uiFor } from "../ui-for.js";

/** `mcp-entra tenant …`: the local dev tenant. */
export function registerTenantCommands(program: Command): void {
  const tenant = program.command("tenant").description("run and manage the local dev tenant");

  tenant
    .command("start")
    .description("start the dev tenant in the foreground")
    .option("--port <port>", "HTTPS port (env MCP_ENTRA_TENANT_PORT)")
    .action(async (_options, command: Command) => {
      const ui = uiFor(command);
      const { runTenantStart } = await import("../../tenant/commands/start.js");
      await runTenantStart(command.opts(), ui);
    });
}

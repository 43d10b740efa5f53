import type { Command } from "commander";
import { exitCodeAction } from "../exit-code.js";
import { uiFor } from "../ui-for.js";

/** `mcp-entra doctor`: the project's registration against its server and Entra's traps for MCP. */
export function registerDoctorCommand(program: Command): void {
  program
    .command("doctor")
    .description("check the project's app registration against the server and the traps of Entra for MCP")
    .option(
      "--server <url>",
      "the MCP server's URL, whose metadata is read (default: MCP_SERVER_URL in .env)",
    )
    .option("--dir <path>", "the project folder (mcp-entra.json and .env)", ".")
    .option("--tenant <tenant>", "dev, a tenant id or a domain (default: the tenant mcp-entra.json records)")
    .action(
      exitCodeAction(async (command) => {
        const { runDoctorCommand } = await import("./run.js");
        return runDoctorCommand(command.opts(), uiFor(command));
      }),
    );
}

import type { Command } from "commander";
import { exitCodeAction } from "../exit-code.js";
import { uiFor } from "../ui-for.js";

/** `mcp-entra init [dir]`: scaffold an MCP server secured with Entra ID, register it, install it. */
export function registerInitCommand(program: Command): void {
  program
    .command("init")
    .description("scaffold an MCP server secured with Entra ID (then register it and install it)")
    .argument("[dir]", "the folder to create (default: the project name)")
    .option("--template <name>", "local (stdio), remote (Streamable HTTP) or proxy (remote + OAuth proxy)")
    .option("--name <name>", "the npm package name (default: the folder's name)")
    .option("--port <port>", "the port the server listens on in development (default 3000)")
    .option("--server-url <url>", "the public URL of the MCP endpoint (default http://localhost:<port>/mcp)")
    .option("--register", "run `register` with the template's preset (default)")
    .option("--no-register", "do not register now (no .env is written)")
    .option(
      "--tenant <tenant>",
      "where to register: dev, a tenant id or a domain (default: login's, else dev)",
    )
    .option("--install", "run npm install in the new folder (default)")
    .option("--no-install", "do not install dependencies")
    .option("--force", "write into a folder that is not empty (same-named files are replaced)")
    .option("-y, --yes", "take the defaults instead of asking")
    .action(
      exitCodeAction(async (command, dir: string | undefined) => {
        const { runInitCommand } = await import("./run.js");
        return runInitCommand({ ...command.opts(), dir }, uiFor(command));
      }),
    );
}

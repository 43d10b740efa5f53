import { Command, Option } from "commander";
import { registerAppCommands } from "../commands/app/command.js";
import { registerDoctorCommand } from "../commands/doctor/command.js";
import { registerExplainCommand } from "../commands/explain/command.js";
import { registerInitCommand } from "../commands/init/command.js";
import { registerLoginCommands } from "../commands/login/command.js";
import { registerQuickstartCommand } from "../commands/quickstart/command.js";
import { registerRegisterCommand } from "../commands/register/command.js";
import { registerSecretCommands } from "../commands/secret/command.js";
import { registerTenantCommands } from "../commands/tenant/command.js";
import { registerTestFlowCommand } from "../commands/test-flow/command.js";
import { readPackageVersion } from "../core/package-version.js";

/** The commander program: global options and every command (whose work is loaded only when run). */
export function buildProgram(): Command {
  const program = new Command("mcp-entra")
    .description(
      "Secure MCP servers with Microsoft Entra ID: register, scaffold, test — offline on a dev tenant.",
    )
    .version(readPackageVersion(), "-V, --version")
    .addOption(new Option("--json", "print one JSON document instead of text"))
    .addOption(new Option("--verbose", "print debug output and stack traces"))
    .addOption(new Option("--no-color", "disable colours (NO_COLOR is honoured too)"))
    .configureOutput({ outputError: (text, write) => write(oneLine(text)) })
    .exitOverride();
  registerInitCommand(program);
  registerQuickstartCommand(program);
  registerLoginCommands(program);
  registerRegisterCommand(program);
  registerAppCommands(program);
  registerSecretCommands(program);
  registerTenantCommands(program);
  registerTestFlowCommand(program);
  registerExplainCommand(program);
  registerDoctorCommand(program);
  for (const command of program.commands) inheritSettings(command);
  return program;
}

/** Subcommands exit through the same path and print errors the same way as the program. */
function inheritSettings(command: Command): void {
  command.exitOverride().configureOutput({ outputError: (text, write) => write(oneLine(text)) });
  for (const sub of command.commands) inheritSettings(sub);
}

/** Commander's usage errors, on one line with the way to the help. */
function oneLine(text: string): string {
  return `${text.trim().replace(/\s*\n\s*/g, " ")} Fix: see --help for the accepted usage.\n`;
}

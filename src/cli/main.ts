import { CommanderError } from "commander";
import { exitCodeOf } from "../commands/exit-code.js";
import { errorMessage, McpEntraError } from "../core/errors.js";
import { Ui } from "../core/ui.js";
import { buildProgram } from "./program.js";

/**
 * The entry point: parses argv, runs the command, and turns every outcome into an exit code.
 * Nothing else in mcp-entra exits the process.
 */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return exitCodeOf(program);
  } catch (error) {
    const globals = program.opts<{ json?: boolean; verbose?: boolean; color?: boolean }>();
    return reportError(error, new Ui({ json: globals.json, verbose: globals.verbose, color: globals.color }));
  }
}

export function reportError(error: unknown, ui: Ui): number {
  if (error instanceof CommanderError) {
    // Help and version are successes; every other commander error is a usage error (already printed).
    return error.exitCode === 0 ? 0 : 2;
  }
  if (error instanceof McpEntraError) {
    if (ui.json) {
      ui.printJson({
        ok: false,
        error: { code: error.code, message: error.message, suggestion: error.suggestion },
      });
    } else {
      ui.error(
        error.suggestion ? `${error.message} ${ui.color.dim(`Fix: ${error.suggestion}`)}` : error.message,
      );
    }
    if (ui.verbose) ui.debug(error.stack ?? "");
    return error.exitCode;
  }
  if (isPromptCancelled(error)) {
    ui.error("Cancelled.");
    return 130;
  }
  ui.error(`${errorMessage(error)}${ui.verbose ? "" : " (run with --verbose for details)"}`);
  if (ui.verbose && error instanceof Error) ui.debug(error.stack ?? "");
  return 1;
}

function isPromptCancelled(error: unknown): boolean {
  return error instanceof Error && error.name === "ExitPromptError";
}

import type { Command } from "commander";
import { Ui } from "../core/ui.js";

export interface GlobalOptions {
  json?: boolean;
  verbose?: boolean;
  color?: boolean;
  yes?: boolean;
}

/** The Ui for a command, from the global options and the command's own --yes. */
export function uiFor(command: Command): Ui {
  const options = command.optsWithGlobals<GlobalOptions>();
  return new Ui({ json: options.json, verbose: options.verbose, color: options.color, yes: options.yes });
}

import type { Command } from "commander";

/** The exit code the action of a parsed program returned, kept by its root command. */
const exitCodes = new WeakMap<Command, number>();

/**
 * A command's action that returns its exit code. Commander passes an action its arguments, its
 * options and itself, and drops what it returns; this hands `run` the command and the arguments,
 * and keeps the code for the entry point, which alone sets the process's exit code (`exitCodeOf`).
 */
export function exitCodeAction<Args extends unknown[]>(
  run: (command: Command, ...args: Args) => Promise<number>,
): (...received: unknown[]) => Promise<void> {
  return async (...received) => {
    const command = received.at(-1) as Command;
    const code = await run(command, ...(received.slice(0, -2) as Args));
    exitCodes.set(rootOf(command), code);
  };
}

/** The exit code of the action a program ran: 0 when it ran none (help, version). */
export function exitCodeOf(program: Command): number {
  return exitCodes.get(program) ?? 0;
}

function rootOf(command: Command): Command {
  let root = command;
  while (root.parent) root = root.parent;
  return root;
}

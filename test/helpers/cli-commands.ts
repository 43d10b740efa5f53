import type { Command } from "commander";
import { buildProgram } from "../../src/cli/program.js";

/**
 * Checks that a piece of advice names real commands and flags: every `mcp-entra <command>` exists,
 * and every `--flag` belongs to one of the commands it names (or is a global option). Returns the
 * problems found, empty when the text is true.
 */
export function unknownCommandsAndFlags(text: string): string[] {
  const program = buildProgram();
  const byName = new Map<string, Command>();
  const collect = (command: Command, prefix: string) => {
    for (const sub of command.commands) {
      const name = `${prefix}${sub.name()}`;
      byName.set(name, sub);
      collect(sub, `${name} `);
    }
  };
  collect(program, "");
  const problems: string[] = [];
  const named: Command[] = [];
  for (const match of text.matchAll(/mcp-entra ([a-z][a-z-]*)(?: ([a-z][a-z-]*))?/g)) {
    const sub = match[2] && byName.get(`${match[1]} ${match[2]}`);
    const command = sub || byName.get(match[1]!);
    if (command) named.push(command);
    else problems.push(`no command "mcp-entra ${match[1]}"`);
  }
  const longFlags = (command: Command) => command.options.map((option) => option.long);
  const known = new Set([...longFlags(program), ...named.flatMap(longFlags)]);
  for (const match of text.matchAll(/(?<![\w-])--[a-z][a-z-]*/g)) {
    if (!known.has(match[0])) {
      problems.push(
        `${match[0]} is no flag of ${named.map((c) => c.name()).join(", ") || "any command named"}`,
      );
    }
  }
  return problems;
}

import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { exitCodeAction, exitCodeOf } from "../../../src/commands/exit-code.js";

describe("a command's action returns its exit code", () => {
  const program = () => {
    const root = new Command("mcp-entra").exitOverride();
    const seen: unknown[] = [];
    root
      .command("tenant")
      .command("add <alias>")
      .option("--admin")
      .action(
        exitCodeAction(async (command, alias: string) => {
          seen.push(alias, command.opts());
          return alias === "fails" ? 1 : 0;
        }),
      );
    return { root, seen };
  };

  it("hands the action its arguments and command; the root keeps the code, the process's is untouched", async () => {
    const before = process.exitCode;
    const { root, seen } = program();
    await root.parseAsync(["node", "mcp-entra", "tenant", "add", "fails", "--admin"]);
    expect(seen).toEqual(["fails", { admin: true }]);
    expect(exitCodeOf(root)).toBe(1);
    expect(process.exitCode).toBe(before);

    const other = program();
    await other.root.parseAsync(["node", "mcp-entra", "tenant", "add", "alice"]);
    expect(exitCodeOf(other.root)).toBe(0);
  });

  it("is 0 for a program that ran no action", () => {
    expect(exitCodeOf(new Command("mcp-entra"))).toBe(0);
  });
});

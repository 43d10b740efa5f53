import type { Command, Option } from "commander";
import { buildProgram } from "../../src/cli/program.js";

/**
 * The bad-input matrix, generated from the commander program: every command × every flag that takes
 * a value × invalid values picked by the flag's kind. New commands and flags join it by themselves;
 * the tables below only name exceptions.
 */

export interface BadInputCase {
  /** e.g. "register --server-url" */
  id: string;
  flag: string;
  value: string;
  args: string[];
}

type Kind = "choice" | "port" | "number" | "guid" | "url" | "json" | "path" | "tenant" | "text";

/** A file that does not exist, for flags that read one. */
export const MISSING_FILE = "/nonexistent-mcp-entra-matrix/missing.pem";

const VALUES: Record<Kind, string[]> = {
  choice: ["not-a-choice"],
  port: ["http", "65536", ""],
  number: ["many", "-5", ""],
  guid: ["not-a-guid", ""],
  url: ["not a url", "ftp://example.com/x", ""],
  json: ["{not json", "[1,2]", ""],
  path: [MISSING_FILE, ""],
  tenant: ["not a tenant!", ""],
  text: [""],
};

/** Flags whose kind the placeholder does not tell, or whose invalid values are their own. */
const OVERRIDES: Record<string, Kind | string[]> = {
  // Any client id: Entra GUIDs, other authorization servers' ids, Client ID Metadata Document URLs.
  "test-flow --client-id": "text",
  // An output file: any path can be created; only an empty one is certainly wrong.
  "test-flow --junit": "text",
  "register --sign-in-audience": ["AzureADYourOrg", ""],
  "register --token-version": ["3", ""],
  "register --github-repo": ["owner/repo/extra", ""],
  "register --github-ref": ["main", ""],
  "register --scope": ["has space", ""],
  "register --role": [".dotted", ""],
  "register --ci-role": ["has space", ""],
  "register --graph-permission": ["User Read", ""],
  "register --graph-app-permission": ["User Read", ""],
  "register --federated-issuer": ["not a url", "http://token.actions.example.com", ""],
  "register --federated-subject": ["x".repeat(601), ""],
  // Secret lifetimes are whole days from 1 to 730 (Entra's limit).
  "register --secret-lifetime": ["0", "731", "1.5", ""],
  "secret rotate --secret-lifetime": ["0", "731", ""],
  "init --template": ["no-such-template", ""],
  "init --name": ["Not A Package Name", ""],
};

/**
 * Flags left out, each with its reason: their values can only be judged against a running tenant's
 * state, so a wrong one is a failure of the operation (exit 1), not bad input.
 */
const SKIPPED: Record<string, string> = {
  "tenant start --auto-approve": "the user is looked up in the tenant's state",
};

/** Values for positional arguments, so that the flag under test is the only thing wrong. */
const POSITIONALS: Record<string, string> = {
  "server-url": "http://127.0.0.1:9/mcp",
  alias: "casey",
  upn: "casey",
  code: "AADSTS50011",
  dir: "project",
};

function kindOf(option: Option): Kind {
  if (option.argChoices) return "choice";
  const placeholder = /[<[]([^>\]]+)[>\]]/.exec(option.flags)?.[1] ?? "";
  if (placeholder === "port") return "port";
  if (["n", "days", "hours", "seconds"].includes(placeholder)) return "number";
  if (["id", "guid", "app-id", "client-id"].includes(placeholder)) return "guid";
  if (["url", "uri"].includes(placeholder)) return "url";
  if (placeholder === "json") return "json";
  if (["path", "file", "pem"].includes(placeholder)) return "path";
  if (placeholder === "tenant") return "tenant";
  return "text";
}

function leafCommands(command: Command, path: string[] = []): { command: Command; path: string[] }[] {
  if (command.commands.length === 0) return [{ command, path }];
  return command.commands.flatMap((sub) => leafCommands(sub, [...path, sub.name()]));
}

export interface Matrix {
  cases: BadInputCase[];
  skipped: string[];
}

export function badInputMatrix(): Matrix {
  const cases: BadInputCase[] = [];
  const skipped: string[] = [];
  for (const { command, path } of leafCommands(buildProgram())) {
    const positionals = command.registeredArguments
      .filter((argument) => argument.required || argument.name() in POSITIONALS)
      .map((argument) => POSITIONALS[argument.name()] ?? "x");
    for (const option of command.options) {
      if (!option.required && !option.optional) continue;
      const id = `${path.join(" ")} ${option.long}`;
      if (id in SKIPPED) {
        skipped.push(`${id}: ${SKIPPED[id]}`);
        continue;
      }
      const override = OVERRIDES[id];
      const values = Array.isArray(override) ? override : VALUES[override ?? kindOf(option)];
      for (const value of values) {
        cases.push({ id, flag: option.long!, value, args: [...path, ...positionals, option.long!, value] });
      }
    }
  }
  return { cases, skipped };
}

import { statSync } from "node:fs";
import { resolve } from "node:path";
import { invalidFlag } from "../../core/errors.js";
import type { ProtocolChoice } from "../mcp-client/protocol-choices.js";

/** `test-flow --stdio "<command>"`: a local MCP server that test-flow starts and talks to over stdio. */
export interface StdioFlowOptions {
  transport: "stdio";
  /** The command line as given, and its words. */
  commandLine: string;
  command: string;
  commandArgs: string[];
  /** The server's working folder (absolute): --cwd, else the current one. */
  cwd: string;
  tool?: string;
  args?: Record<string, unknown>;
  protocol: ProtocolChoice;
  timeout: number;
  junit?: string;
  json: boolean;
}

/**
 * The flags about authorization that a stdio server has no use for: it signs in to Entra itself, and
 * test-flow only starts it. Each is a usage error with --stdio (checked on what was typed, not on
 * MCP_CLIENT_ID/MCP_CLIENT_SECRET, which a CI environment may set for other runs).
 */
const HTTP_ONLY: [key: string, flag: string][] = [
  ["auth", "--auth"],
  ["tokenFile", "--token-file"],
  ["clientId", "--client-id"],
  ["clientSecret", "--client-secret"],
  ["tokenEndpointAuthMethod", "--token-endpoint-auth-method"],
  ["clientMetadataUrl", "--client-metadata-url"],
  ["certificateFile", "--certificate-file"],
  ["privateKeyFile", "--private-key-file"],
  ["federatedTokenFile", "--federated-token-file"],
  ["scope", "--scope"],
  ["fresh", "--fresh"],
  ["probe", "--probe"],
  ["strict", "--strict"],
  ["requireAuth", "--require-auth"],
  ["caFile", "--ca-file"],
];

/** Refuses, naming the flag, what --stdio has no use for (before any other check of those flags). */
export function rejectHttpOnlyFlags(raw: Record<string, unknown>): void {
  for (const [key, flag] of HTTP_ONLY) {
    const value = raw[key];
    if (value !== undefined && value !== false && !(Array.isArray(value) && value.length === 0)) {
      throw invalidFlag(
        flag,
        "does not apply to --stdio",
        "A stdio server signs in to Entra itself; leave the flag out (it is for servers reached by URL).",
      );
    }
  }
  if (raw.resource === false) {
    throw invalidFlag(
      "--no-resource",
      "does not apply to --stdio",
      "Leave it out: no token request is made.",
    );
  }
}

export function stdioOptions(
  raw: { stdio: string; cwd?: string },
  parsed: Pick<StdioFlowOptions, "tool" | "args" | "timeout" | "junit" | "json" | "protocol">,
): StdioFlowOptions {
  const commandLine = String(raw.stdio);
  const words = splitCommandLine(commandLine);
  const [command, ...commandArgs] = words;
  if (!command) {
    throw invalidFlag(
      "--stdio",
      "needs the command that starts the server",
      'e.g. --stdio "node dist/main.js".',
    );
  }
  const cwd = resolve(raw.cwd ?? ".");
  if (!isFolder(cwd)) {
    throw invalidFlag(
      "--cwd",
      `${cwd} is not a folder`,
      "Pass the folder the server runs in (its project folder).",
    );
  }
  return { transport: "stdio", commandLine, command, commandArgs, cwd, ...parsed };
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Splits a command line into words the way a POSIX shell does for quoting — 'single' (literal),
 * "double" (\" and \\ escaped) and backslash escapes — but nothing else: no variables, globs, pipes or
 * redirections, and no shell runs the command.
 */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (quote === "'") {
      if (char === "'") quote = undefined;
      else word += char;
    } else if (quote === '"') {
      if (char === '"') quote = undefined;
      else if (char === "\\" && (line[i + 1] === '"' || line[i + 1] === "\\")) word += line[++i];
      else word += char;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      inWord = true;
      if (char === "'" || char === '"') quote = char;
      else if (char === "\\" && i + 1 < line.length) word += line[++i];
      else word += char;
    }
  }
  if (quote) {
    throw invalidFlag(
      "--stdio",
      `the command has an unclosed ${quote} quote`,
      "Close the quote, or quote the whole command once.",
    );
  }
  if (inWord) words.push(word);
  return words;
}

/** A command line for people: words with spaces or quotes are quoted again. */
export function formatCommandLine(words: string[]): string {
  return words
    .map((word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`))
    .join(" ");
}

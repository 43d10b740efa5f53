import { spawn } from "node:child_process";
import { recordOutput } from "./output-ledger.js";
import { CLI, type CliResult, REPO_ROOT } from "./run-cli.js";

/** The built binary running without a terminal, its stderr read while it waits (a device code, a URL). */
export interface CliProcess {
  /** The next match of `pattern` in stderr after the previous prompt's; rejects if the process ends first. */
  prompt(pattern: RegExp): Promise<RegExpMatchArray>;
  /** Resolves when the process ends. */
  done(): Promise<CliResult>;
}

export function startCli(args: string[], options: { home: string; env?: NodeJS.ProcessEnv }): CliProcess {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, MCP_ENTRA_HOME: options.home, FORCE_COLOR: "0", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let cursor = 0;
  const listeners = new Set<() => void>();
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
    for (const listener of listeners) listener();
  });
  const ended = new Promise<CliResult>((resolve) =>
    child.once("close", (code) => {
      recordOutput(`mcp-entra ${args.join(" ")}`, `${stdout}\n${stderr}`);
      resolve({ code: code ?? 1, stdout, stderr });
      for (const listener of listeners) listener();
    }),
  );
  let exited = false;
  void ended.then(() => {
    exited = true;
  });
  return {
    prompt: (pattern) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const rest = stderr.slice(cursor);
          const match = rest.match(pattern);
          if (match) {
            listeners.delete(check);
            cursor += (match.index ?? 0) + match[0].length;
            resolve(match);
          } else if (exited) {
            listeners.delete(check);
            reject(new Error(`mcp-entra ended before printing ${pattern}: ${stderr}`));
          }
        };
        listeners.add(check);
        check();
      }),
    done: () => ended,
  };
}

/** What msal prints for a device code sign-in (on stderr through mcp-entra's ui). */
export const DEVICE_CODE_PROMPT = /open the page (\S+) and enter the code (\S+) to authenticate/;
/** What `login --method browser` prints before it opens the browser. */
export const BROWSER_PROMPT = /If it does not open, visit:\n(\S+)/;

import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { type CaptureOptions, keepTenantLog, recordOutput } from "./output-ledger.js";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const CLI = fileURLToPath(new URL("../../bin/mcp-entra.js", import.meta.url));

/** Tests that run the built code need `npm run build` first (`npm test` does it). */
export function assertBuilt(): void {
  if (!existsSync(new URL("../../dist/cli/main.js", import.meta.url))) {
    throw new Error("dist/ is missing: run `npm run build` (npm test builds before running vitest)");
  }
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunCliOptions extends CaptureOptions {
  home: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Another mcp-entra to run, e.g. the `mcp-entra` bin of the package installed from npm. */
  executable?: string;
  timeoutMs?: number;
}

/** Runs the built binary (or `executable`) with a home folder of its own, no colours and no terminal. */
export function runCli(args: string[], options: RunCliOptions): Promise<CliResult> {
  const [command, commandArgs] = options.executable
    ? [options.executable, args]
    : [process.execPath, [CLI, ...args]];
  return new Promise((resolve) => {
    execFile(
      command,
      commandArgs,
      {
        cwd: options.cwd ?? REPO_ROOT,
        env: {
          ...process.env,
          MCP_ENTRA_HOME: options.home,
          MCP_ENTRA_TENANT_PORT: "",
          FORCE_COLOR: "0",
          ...options.env,
        },
        timeout: options.timeoutMs ?? 60_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        recordOutput(`mcp-entra ${args.join(" ")}`, `${stdout}\n${stderr}`, options);
        keepTenantLog(options.home);
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** A port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

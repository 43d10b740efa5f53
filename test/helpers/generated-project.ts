import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { renderTemplate } from "../../src/scaffold/render.js";

/** Helpers for tests that render a template, install it, and run what it generated. */

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/**
 * The environment for child processes: ours without vitest's own variables (a nested vitest run
 * would otherwise think it is a worker of this one) and without colour.
 */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(VITEST|VITE_|TINYPOOL|NODE_ENV$|NODE_OPTIONS$|MCP_ENTRA_HOME$)/.test(name)) env[name] = value;
  }
  return { ...env, FORCE_COLOR: "0", NO_COLOR: "1", ...extra };
}

/** Runs a command to completion; on failure the error carries the tail of its output. */
export async function run(
  command: string,
  args: string[],
  options: { cwd: string; timeoutMs?: number },
): Promise<string> {
  try {
    const { stdout, stderr } = await promisify(execFile)(command, args, {
      cwd: options.cwd,
      env: childEnv(),
      timeout: options.timeoutMs ?? 120_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return `${stdout}${stderr}`;
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(" ")} failed:\n${`${stdout}${stderr}`.slice(-4000)}`);
  }
}

/** Renders a template into `dir` (with mcp-entra resolved from this checkout) and installs it once. */
export async function renderAndInstall(
  template: string,
  dir: string,
  variables: Record<string, string> = {},
): Promise<string[]> {
  if (!existsSync(join(REPO_ROOT, "dist", "tenant", "index.js"))) {
    throw new Error(
      "Build mcp-entra first (npm run build): generated projects import mcp-entra/dev-tenant from dist/",
    );
  }
  const { files } = await renderTemplate({ template, targetDir: dir, variables });
  await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], {
    cwd: dir,
    timeoutMs: 240_000,
  });
  return files;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A server process started from a generated project, with every line it wrote to stderr. */
export interface SpawnedServer {
  child: ChildProcess;
  logs: string[];
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `node dist/main.js` and resolves once it logs that it listens. */
export async function spawnServer(cwd: string, env: Record<string, string>): Promise<SpawnedServer> {
  const child = spawn(process.execPath, ["dist/main.js"], {
    cwd,
    env: childEnv(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`The server did not start:\n${logs.join("\n")}`)),
      15_000,
    );
    createInterface({ input: child.stderr! }).on("line", (line) => {
      logs.push(line);
      if (line.includes('"message":"listening"')) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`The server exited with ${code}:\n${logs.join("\n")}`));
    });
  });
  return {
    child,
    logs,
    stop: async (signal = "SIGTERM") => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

import { type ChildProcess, execFile, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, stat, symlink, utimes, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { renderTemplate } from "../../src/scaffold/render.js";
import { outputRecorder, recordOutput } from "./output-ledger.js";

/** Helpers for tests that render a template, install it, and run what it generated. */

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
    recordOutput(`${command} ${args.join(" ")}`, `${stdout}${stderr}`);
    return `${stdout}${stderr}`;
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    recordOutput(`${command} ${args.join(" ")}`, `${stdout}${stderr}`);
    throw new Error(`${command} ${args.join(" ")} failed:\n${`${stdout}${stderr}`.slice(-4000)}`);
  }
}

/**
 * Renders a template into `dir` and gives it its dependencies, mcp-entra as packed for npm (see
 * test/setup/packed-package.ts). The first project of a template (per machine, package.json and
 * build of mcp-entra) gets a real `npm install` into a shared cache folder; later ones link their
 * node_modules to it, so the suite installs each template once however many test files render it.
 */
export async function renderAndInstall(
  template: string,
  dir: string,
  variables: Record<string, string> = {},
): Promise<string[]> {
  const { files } = await renderTemplate({ template, targetDir: dir, variables });
  const modules = await installedDependencies(template, await readFile(join(dir, "package.json"), "utf8"));
  await symlink(modules, join(dir, "node_modules"), "dir");
  return files;
}

/** The packed mcp-entra of this run (vitest globalSetup), which generated projects install. */
export function packedMcpEntra(): { tarball: string; integrity: string } {
  const tarball = process.env.MCP_ENTRA_TEST_TARBALL;
  const integrity = process.env.MCP_ENTRA_TEST_PACKAGE_INTEGRITY;
  if (!tarball || !integrity) {
    throw new Error("mcp-entra is not packed: run the tests through vitest (globalSetup packed-package.ts)");
  }
  return { tarball, integrity };
}

/** node_modules for a template's dependencies, installed once into a cache folder. */
async function installedDependencies(template: string, manifest: string): Promise<string> {
  const { dependencies, devDependencies } = JSON.parse(manifest) as Record<string, unknown>;
  // `"mcp-entra": "^x.y.z"` names no build: the packed tarball's integrity does.
  const key = createHash("sha256")
    .update(JSON.stringify({ dependencies, devDependencies, mcpEntra: packedMcpEntra().integrity }))
    .digest("hex")
    .slice(0, 16);
  const root = join(tmpdir(), "mcp-entra-test-deps");
  const cacheDir = join(root, `${template}-${key}`);
  const modules = join(cacheDir, "node_modules");
  if (existsSync(join(cacheDir, ".complete"))) {
    await touch(join(cacheDir, ".complete"));
    return modules;
  }
  await pruneStaleInstalls(root);
  // Installed beside the cache folder, then renamed into place: concurrent test files never see a
  // half-installed tree (at worst two install at once and one copy is dropped).
  const staging = `${cacheDir}.${process.pid}.${Date.now()}`;
  await mkdir(staging, { recursive: true });
  await writeFile(
    join(staging, "package.json"),
    JSON.stringify({
      name: `deps-${template}`,
      private: true,
      type: "module",
      dependencies,
      devDependencies,
    }),
  );
  await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], {
    cwd: staging,
    timeoutMs: 300_000,
  });
  await writeFile(join(staging, ".complete"), "");
  try {
    await rename(staging, cacheDir);
  } catch {
    await rm(staging, { recursive: true, force: true });
  }
  return modules;
}

async function touch(file: string): Promise<void> {
  const now = new Date();
  await utimes(file, now, now).catch(() => undefined);
}

/** Every build of mcp-entra keys new installs: those unused for a day go. */
async function pruneStaleInstalls(root: string): Promise<void> {
  const dayAgo = Date.now() - 24 * 60 * 60 * 1000;
  for (const name of await readdir(root).catch(() => [] as string[])) {
    const used = await stat(join(root, name, ".complete")).catch(() => undefined);
    if (used && used.mtimeMs < dayAgo) await rm(join(root, name), { recursive: true, force: true });
  }
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
  const recorder = outputRecorder("server");
  child.stdout!.on("data", (chunk) => recorder.append(String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`The server did not start:\n${logs.join("\n")}`)),
      15_000,
    );
    createInterface({ input: child.stderr! }).on("line", (line) => {
      logs.push(line);
      recorder.append(`${line}\n`);
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

import { mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../helpers/dev-tenant.js";
import { assertBuilt, freePort, runCli } from "../helpers/run-cli.js";
import { type BadInputCase, badInputMatrix } from "./cli-matrix.js";

/**
 * Every command × every flag that takes a value × invalid values, through the built binary, with
 * no tenant running: exit 2, one line on stderr naming the flag, no stack trace, nothing on stdout,
 * nothing written to the home folder or the current folder.
 */

const CONCURRENCY = 3;

/** Every file and folder under `dir` with its size and modification time. */
async function snapshot(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
  const described = await Promise.all(
    entries.map(async (entry) => {
      const info = await stat(join(dir, entry)).catch(() => undefined);
      return info ? `${entry} ${info.isDirectory() ? "dir" : info.size} ${info.mtimeMs}` : `${entry} gone`;
    }),
  );
  return described.sort();
}

/** A tenant that a faulty command started anyway: stopped (it is ours) and reported. */
async function stopStrayTenant(home: string): Promise<string | undefined> {
  const text = await readFile(join(home, "dev-tenant", "runtime.json"), "utf8").catch(() => undefined);
  if (!text) return undefined;
  const { pid } = JSON.parse(text) as { pid: number };
  try {
    if (pid !== process.pid) process.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
  return `started a dev tenant (pid ${pid})`;
}

async function pool<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

describe("the CLI with bad input", () => {
  let root: string;
  beforeAll(async () => {
    assertBuilt();
    root = await tempDir("mcp-entra-matrix-");
  });
  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it("refuses every invalid flag value with exit 2 and one line naming the flag, writing nothing", async () => {
    const { cases, skipped } = badInputMatrix();
    console.log(`bad-input matrix: ${cases.length} runs; skipped: ${skipped.join("; ")}`);
    expect(cases.length).toBeGreaterThan(100);
    // Were a command to start a tenant despite the bad flag, it gets a free port, never 44331.
    const port = String(await freePort());
    const failures: string[] = [];
    let index = 0;

    const check = async (c: BadInputCase) => {
      const dir = join(root, String(index++));
      const home = join(dir, "home");
      const cwd = join(dir, "cwd");
      await Promise.all([mkdir(home, { recursive: true }), mkdir(cwd, { recursive: true })]);
      // Something for the command to find (and leave alone) in each folder.
      await writeFile(join(cwd, "existing.txt"), "kept\n");
      const before = [await snapshot(home), await snapshot(cwd)];
      const result = await runCli(c.args, { home, cwd, env: { MCP_ENTRA_TENANT_PORT: port } });
      const stray = await stopStrayTenant(home);
      const after = [await snapshot(home), await snapshot(cwd)];
      const lines = result.stderr.replace(/\n$/, "").split("\n");
      const problems = [
        result.code !== 2 && `exit ${result.code}`,
        lines.length !== 1 && `${lines.length} lines on stderr`,
        !result.stderr.includes(c.flag) && "stderr does not name the flag",
        /\n\s+at |Error: .*\n/.test(result.stderr) && "stack trace",
        result.stdout !== "" && "wrote to stdout",
        stray,
        JSON.stringify(before) !== JSON.stringify(after) && "wrote files",
      ].filter(Boolean);
      if (problems.length > 0) {
        const shown = c.value.length > 40 ? `${c.value.slice(0, 40)}…` : c.value;
        failures.push(
          `${c.id} ${JSON.stringify(shown)}: ${problems.join(", ")} — ${result.stderr.trim().slice(0, 300)}`,
        );
      }
      await rm(dir, { recursive: true, force: true });
    };
    await pool(cases, CONCURRENCY, check);
    expect(failures).toEqual([]);
  }, 600_000);
});

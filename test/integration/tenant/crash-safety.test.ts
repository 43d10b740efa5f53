import { type ChildProcess, spawn } from "node:child_process";
import { readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDevTenant } from "../../../src/tenant/index.js";
import { tempDir } from "../../helpers/dev-tenant.js";
import { assertBuilt, REPO_ROOT } from "../../helpers/run-cli.js";

const WRITER = join(REPO_ROOT, "test/fixtures/store-writer.mjs");

/** Starts the writer and resolves once it has committed `atLeast` changes; tracks the last one. */
function startWriter(dir: string, atLeast: number) {
  const child = spawn(process.execPath, [WRITER, dir], { stdio: ["ignore", "pipe", "inherit"] });
  let committed = 0;
  const progressed = new Promise<void>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the writer exited early (${code})`)));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const match = /^committed (\d+)$/.exec(line);
      if (match) committed = Number(match[1]);
      if (committed >= atLeast) resolve();
    });
  });
  return { child, progressed, committed: () => committed };
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

describe("crash safety of the dev tenant's state", () => {
  let home: string;
  beforeAll(async () => {
    assertBuilt();
    home = await tempDir();
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it("leaves a readable state that a tenant starts from after kill -9 at random moments", async () => {
    const dir = join(home, "dev-tenant");
    let acknowledged = 0;
    for (let round = 0; round < 5; round++) {
      const writer = startWriter(dir, acknowledged + 5);
      await writer.progressed;
      // A random moment while commits (and their writes) keep coming.
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 150));
      await killed(writer.child);
      acknowledged = writer.committed();

      const state = JSON.parse(await readFile(join(dir, "state.json"), "utf8"));
      const written = state.users.filter((user: { userPrincipalName: string }) =>
        user.userPrincipalName.startsWith("writer-"),
      );
      // Every change the store acknowledged is on disk.
      expect(written.length).toBeGreaterThanOrEqual(acknowledged);

      const tenant = await startDevTenant({ home, port: 0 });
      try {
        expect(tenant.store.state.users.length).toBe(state.users.length);
        expect((await readdir(dir)).filter((name) => name.endsWith(".tmp"))).toEqual([]);
      } finally {
        await tenant.stop();
      }
    }
  });
});

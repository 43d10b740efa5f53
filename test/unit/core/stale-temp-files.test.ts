import { spawn } from "node:child_process";
import { readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { removeStaleTempFiles } from "../../../src/core/fs.js";
import { isProcessAlive, processStartTime } from "../../../src/core/processes.js";
import { tempDir } from "../../helpers/dev-tenant.js";

async function exitedPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", "0"]);
  await new Promise((resolve) => child.once("exit", resolve));
  return child.pid!;
}

describe("removeStaleTempFiles", () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("removes temp files of writers that are gone and keeps live writers' and other files", async () => {
    dir = await tempDir();
    const dead = await exitedPid();
    const names = [
      `state.json.${dead}.0a1b2c3d.tmp`,
      `admin-token.${dead}.ffee0011.tmp`,
      `state.json.${process.pid}.12345678.tmp`,
      "state.json",
      "notes.tmp",
    ];
    for (const name of names) await writeFile(join(dir, name), "x");
    expect((await removeStaleTempFiles(dir)).sort()).toEqual([names[1], names[0]]);
    expect((await readdir(dir)).sort()).toEqual(["notes.tmp", "state.json", names[2]].sort());
  });

  it("tells running processes from exited ones", async () => {
    expect(isProcessAlive(process.pid)).toBe(true);
    expect(isProcessAlive(await exitedPid())).toBe(false);
    if (process.platform === "linux") expect(processStartTime(process.pid)).toMatch(/^\d+$/);
  });
});

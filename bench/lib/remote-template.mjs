import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { renderTemplate } from "../../dist/scaffold/render.js";
import { usePackedRegistry } from "./packed-registry.mjs";

/**
 * The `remote` template rendered, installed and built in bench/.cache/remote, reused by later runs
 * while the template's files are unchanged, for benchmarks that run the generated server.
 */
export async function builtRemoteTemplate(log) {
  const dir = fileURLToPath(new URL("../.cache/remote", import.meta.url));
  const stamp = join(dir, ".template-hash");
  const hash = await templateHash(fileURLToPath(new URL("../../templates/remote", import.meta.url)));
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === hash) return dir;
  log("  rendering, installing and building the remote template (first run only)");
  await rm(dir, { recursive: true, force: true });
  await renderTemplate({ template: "remote", targetDir: dir, variables: { projectName: "bench-remote" } });
  await usePackedRegistry();
  const npm = (args) => promisify(execFile)("npm", args, { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
  await npm(["install", "--prefer-offline", "--no-audit", "--no-fund"]);
  await npm(["run", "build"]);
  await writeFile(stamp, hash);
  return dir;
}

async function templateHash(root) {
  const hash = createHash("sha256");
  const walk = async (folder) => {
    for (const entry of (await readdir(folder, { withFileTypes: true })).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) await walk(path);
      else hash.update(path.slice(root.length)).update(await readFile(path));
    }
  };
  await walk(root);
  return hash.digest("hex");
}

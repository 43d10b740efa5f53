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
export function builtRemoteTemplate(log) {
  return builtTemplate("remote", log);
}

/** Any HTTP template (`remote`, `proxy`: drawn over remote, so both folders key its cache). */
export async function builtTemplate(template, log) {
  const dir = fileURLToPath(new URL(`../.cache/${template}`, import.meta.url));
  const stamp = join(dir, ".template-hash");
  const folders = template === "remote" ? ["remote"] : ["remote", template];
  const hashes = [];
  for (const folder of folders) {
    hashes.push(await templateHash(fileURLToPath(new URL(`../../templates/${folder}`, import.meta.url))));
  }
  const hash = hashes.join("+");
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === hash) return dir;
  log(`  rendering, installing and building the ${template} template (first run only)`);
  await rm(dir, { recursive: true, force: true });
  await renderTemplate({ template, targetDir: dir, variables: { projectName: `bench-${template}` } });
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

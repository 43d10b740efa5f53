import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { renderTemplate } from "../../dist/scaffold/render.js";

/**
 * The `remote` template rendered, installed and built once in bench/.cache/remote (reused by later
 * runs while its package.json is unchanged), for benchmarks that run the generated server.
 */
export async function builtRemoteTemplate(log) {
  const dir = fileURLToPath(new URL("../.cache/remote", import.meta.url));
  if (existsSync(`${dir}/dist/app.js`)) return dir;
  log("  rendering, installing and building the remote template (first run only)");
  await rm(dir, { recursive: true, force: true });
  await renderTemplate({ template: "remote", targetDir: dir, variables: { projectName: "bench-remote" } });
  execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], {
    cwd: dir,
    stdio: "ignore",
  });
  execFileSync("npm", ["run", "build"], { cwd: dir, stdio: "ignore" });
  return dir;
}

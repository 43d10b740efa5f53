import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { configuredRegistry, packPackage, startPackageRegistry } from "./package-registry.mjs";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/**
 * vitest globalSetup: generated projects get mcp-entra as their users will, from a registry. The
 * built package is packed once per run (`npm pack`, what `npm publish` uploads) and served as
 * `mcp-entra` by a registry on 127.0.0.1 that passes every other package on to the real one
 * (package-registry.mjs). Every worker and child process inherits:
 * - `npm_config_registry`: that registry, so `npm install` / `npm ci` in a generated project resolve
 *   its `"mcp-entra": "^<version>"` to this build, with its package.json exactly as a user gets it;
 * - `MCP_ENTRA_TEST_TARBALL`: the .tgz, for tests that install it into an empty folder;
 * - `MCP_ENTRA_TEST_PACKAGE_INTEGRITY`: its sha512, which keys the caches of installed projects.
 */
export default async function setup(): Promise<() => Promise<void>> {
  for (const built of ["dist/cli/main.js", "templates/remote/dist/main.js"]) {
    if (!existsSync(join(REPO_ROOT, built))) {
      throw new Error(`Build mcp-entra first (npm run build): the packed package needs ${built}`);
    }
  }
  const folder = await mkdtemp(join(tmpdir(), "mcp-entra-pack-"));
  const packed = await packPackage(REPO_ROOT, folder);
  const registry = await startPackageRegistry(packed, await configuredRegistry());
  process.env.npm_config_registry = registry.url;
  process.env.MCP_ENTRA_TEST_TARBALL = packed.tarball;
  process.env.MCP_ENTRA_TEST_PACKAGE_INTEGRITY = packed.integrity;
  return async function teardown() {
    await registry.close();
    await rm(folder, { recursive: true, force: true });
  };
}

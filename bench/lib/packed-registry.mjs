// Projects the benchmarks generate install mcp-entra as npm will ship it: this build, packed and
// served as `mcp-entra` by a registry on 127.0.0.1 that passes every other package on to the real one
// (test/setup/package-registry.mjs, as in the tests). Sets npm_config_registry for the npm commands
// this process starts (asynchronously: the registry answers from this process's event loop).
import { rmSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { configuredRegistry, packPackage, startPackageRegistry } from "../../test/setup/package-registry.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
let ready;

export function usePackedRegistry() {
  ready ??= (async () => {
    const folder = await mkdtemp(join(tmpdir(), "mcp-entra-bench-pack-"));
    process.on("exit", () => rmSync(folder, { recursive: true, force: true }));
    const packed = await packPackage(root, folder);
    const registry = await startPackageRegistry(packed, await configuredRegistry());
    registry.unref();
    process.env.npm_config_registry = registry.url;
  })();
  return ready;
}

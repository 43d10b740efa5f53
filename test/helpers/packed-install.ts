import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { tempDir } from "./dev-tenant.js";
import { packedMcpEntra, run } from "./generated-project.js";

export interface PackedInstall {
  /** The folder npm installed it into. */
  prefix: string;
  /** The `mcp-entra` command npm linked (node_modules/.bin/mcp-entra). */
  bin: string;
  /** The installed package's folder. */
  packageDir: string;
  version: string;
}

/**
 * mcp-entra as a user gets it: the tarball of this run (test/setup/packed-package.ts) installed with
 * `npm install <tarball>` into an empty folder; its dependencies come from the registry.
 */
export async function installPackedMcpEntra(): Promise<PackedInstall> {
  const prefix = await tempDir("mcp-entra-npm-");
  await run("npm", ["install", packedMcpEntra().tarball, "--prefer-offline", "--no-audit", "--no-fund"], {
    cwd: prefix,
    timeoutMs: 300_000,
  });
  const packageDir = join(prefix, "node_modules", "mcp-entra");
  const { version } = JSON.parse(await readFile(join(packageDir, "package.json"), "utf8")) as {
    version: string;
  };
  return { prefix, bin: join(prefix, "node_modules", ".bin", "mcp-entra"), packageDir, version };
}

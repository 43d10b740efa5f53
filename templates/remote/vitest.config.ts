import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Until mcp-entra is published, it is linked from the installation that generated this project, and
// vitest would transform a linked package as if it were this project's source (seconds per test
// file). Load it as Node does, like any installed package.
const mcpEntra = dirname(fileURLToPath(import.meta.resolve("mcp-entra"))).replaceAll("\\", "/");
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/setup/dev-tenant-ca.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    server: { deps: { external: [new RegExp(`^${escapeRegExp(mcpEntra)}/`)] } },
  },
});

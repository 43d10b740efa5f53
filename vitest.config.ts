import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Secrets never leak: a ledger of what dev tenants issue, checked against every captured output.
    // The test processes trust one dev tenant CA, as servers trust Entra's (see test/setup/dev-tenant-ca.ts).
    // Generated projects install mcp-entra as packed for npm, from a registry on 127.0.0.1.
    globalSetup: [
      "test/setup/secret-ledger.ts",
      "test/setup/dev-tenant-ca.ts",
      "test/setup/packed-package.ts",
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Most test files wait on child processes, sockets and timers rather than the CPU, so one more
    // worker than cores (vitest's default is one fewer) cuts the suite from ~11 to ~7 minutes on 2 cores.
    maxWorkers: Math.min(4, availableParallelism() + 1),
  },
});

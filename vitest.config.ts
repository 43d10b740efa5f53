import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Secrets never leak: a ledger of what dev tenants issue, checked against every captured output.
    globalSetup: ["test/setup/secret-ledger.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});

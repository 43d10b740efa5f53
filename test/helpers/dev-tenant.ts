import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, inject } from "vitest";
import { type DevTenant, type StartDevTenantOptions, startDevTenant } from "../../src/tenant/index.js";

export async function tempDir(prefix = "mcp-entra-test-"): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/**
 * Starts a dev tenant on a free port with its own home folder for the tests of one file.
 * `trustedCa`: its certificate comes from the CA this test process trusts (test/setup/dev-tenant-ca.ts),
 * for template code run in process, which trusts Entra through Node's CA store.
 */
export function useDevTenant(
  options?: StartDevTenantOptions["options"],
  { trustedCa = false }: { trustedCa?: boolean } = {},
): () => DevTenant {
  let tenant: DevTenant | undefined;
  let home: string | undefined;
  beforeAll(async () => {
    home = await tempDir();
    const caDir = trustedCa ? inject("devTenantCaDir") : undefined;
    tenant = await startDevTenant({ home, port: 0, options, caDir });
  });
  afterAll(async () => {
    await tenant?.stop();
    if (home) await rm(home, { recursive: true, force: true });
  });
  return () => {
    if (!tenant) throw new Error("The dev tenant has not started yet");
    return tenant;
  };
}

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { ensureDevTenantCa } from "../../src/tenant/index.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** A CA the test processes trust (NODE_EXTRA_CA_CERTS), for dev tenants started with caDir. */
    devTenantCaDir: string;
  }
}

/**
 * vitest globalSetup: a CA that every worker (and its child processes) trusts through
 * NODE_EXTRA_CA_CERTS, which Node reads only when a process starts, so it is set here before the
 * workers start. Tests that run template code in process (which trusts Entra as Node does, through
 * its CA store) start their dev tenant with this CA: useDevTenant(…, { trustedCa: true }).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), "mcp-entra-test-ca-"));
  process.env.NODE_EXTRA_CA_CERTS = await ensureDevTenantCa(dir);
  project.provide("devTenantCaDir", dir);
  return () => rm(dir, { recursive: true, force: true });
}

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureDevTenantCa } from "mcp-entra/dev-tenant";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** The CA every dev tenant of this run signs its certificate with (startDevTenant caDir). */
    devTenantCaDir: string;
  }
}

/**
 * The server trusts the dev tenant's CA as it would in production trust any CA: through
 * NODE_EXTRA_CA_CERTS, which Node reads only when a process starts. So the CA is made here, before
 * vitest starts the worker processes that inherit the variable, and every test's tenant uses it.
 */
export default async function setup(project: TestProject) {
  const dir = await mkdtemp(join(tmpdir(), "dev-tenant-ca-"));
  process.env.NODE_EXTRA_CA_CERTS = await ensureDevTenantCa(dir);
  project.provide("devTenantCaDir", dir);
  return () => rm(dir, { recursive: true, force: true });
}

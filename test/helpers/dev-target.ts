import { devTenantTarget } from "../../src/entra/login/dev-tenant-target.js";
import type { TenantTarget } from "../../src/entra/tenant-target.js";
import { type DevTenant, TenantAdminClient } from "../../src/tenant/index.js";

/** The in-process dev tenant of a test as a command's target (signing in with real msal-node). */
export function devTarget(tenant: DevTenant, home: string): TenantTarget {
  return devTenantTarget(
    {
      url: tenant.url,
      tenantId: tenant.tenantId,
      domain: tenant.domain,
      caPem: tenant.caPem,
      caFile: tenant.caFile,
      admin: TenantAdminClient.for(tenant.url, tenant.adminToken, tenant.caPem),
    },
    home,
  );
}

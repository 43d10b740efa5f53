import { TenantAdminClient } from "../../tenant/server/admin-client.js";
import type { DevTenant } from "../../tenant/server/dev-tenant.js";
import type { TenantTarget } from "../tenant-target.js";
import { devTenantTarget } from "./dev-tenant-target.js";

/**
 * A dev tenant started in this process (`startDevTenant`, as tests and benchmarks do) as a command's
 * target: its Graph token comes from a real msal-node sign-in, cached under `home`.
 */
export function inProcessTenantTarget(tenant: DevTenant, home: string): TenantTarget {
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

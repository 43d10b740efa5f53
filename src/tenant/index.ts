/** The dev tenant's programmatic API, for tests and for mcp-entra's own commands. */

export { type SigningKeySummary, TenantAdminClient, type TenantAdminStatus } from "./admin-client.js";
export { DEFAULT_TENANT_PORT, DevTenant, type StartDevTenantOptions, startDevTenant } from "./dev-tenant.js";
export { type DevTenantHandle, type EnsureDevTenantOptions, ensureDevTenant } from "./ensure.js";
export type * from "./model.js";
export { DEFAULT_TEST_PASSWORD } from "./seed.js";

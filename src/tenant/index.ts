/** The dev tenant's programmatic API, for tests and for mcp-entra's own commands. */

export { type SigningKeySummary, TenantAdminClient, type TenantAdminStatus } from "./admin-client.js";
export { ensureDevTenantCa } from "./certificates.js";
export { DEFAULT_TENANT_PORT, DevTenant, type StartDevTenantOptions, startDevTenant } from "./dev-tenant.js";
export { type DevTenantHandle, type EnsureDevTenantOptions, ensureDevTenant } from "./ensure.js";
export { FAULT_SPEC_HELP, type FaultConfig, faultConfig, parseFaultSpec } from "./faults.js";
export type { GitHubActionsTokenInput } from "./github-actions-token.js";
export type { GraphAdminApp } from "./graph/admin-app.js";
export type * from "./model.js";
/** Directory-object factories, for tests that set up registrations without Graph (see templates/*). */
export {
  addPassword,
  addToGrant,
  newApplication,
  newAppRoleAssignment,
  newServicePrincipal,
} from "./objects.js";
export type { RequestLogEntry, RequestLogFilter } from "./request-log.js";
export { DEFAULT_TEST_PASSWORD } from "./seed.js";

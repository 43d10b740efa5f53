/** The dev tenant's programmatic API, for tests and for mcp-entra's own commands. */

export type { GitHubActionsTokenInput } from "./clients/github-actions-token.js";
/** Directory-object factories, for tests that set up registrations without Graph (see templates/*). */
export {
  addPassword,
  addToGrant,
  newApplication,
  newAppRoleAssignment,
  newServicePrincipal,
} from "./directory/object-factories.js";
export { DEFAULT_TEST_PASSWORD } from "./directory/seed.js";
export type * from "./directory/tenant-state.js";
export type { GraphAdminApp } from "./graph/admin-app.js";
export { type SigningKeySummary, TenantAdminClient, type TenantAdminStatus } from "./server/admin-client.js";
export { ensureDevTenantCa } from "./server/certificates.js";
export {
  DEFAULT_TENANT_PORT,
  DevTenant,
  type StartDevTenantOptions,
  startDevTenant,
} from "./server/dev-tenant.js";
export { type DevTenantHandle, type EnsureDevTenantOptions, ensureDevTenant } from "./server/ensure.js";
export { FAULT_SPEC_HELP, type FaultConfig, faultConfig, parseFaultSpec } from "./server/faults.js";
export type { RequestLogEntry, RequestLogFilter } from "./server/request-log.js";

/**
 * mcp-entra's programmatic API (the package's main entry), for the tests of generated projects:
 * register an app in an in-process dev tenant with the real `register`. The dev tenant itself and
 * its test-only factories are in `mcp-entra/dev-tenant`.
 */
export type { ProjectApp } from "./core/project-config.js";
export type { Preset } from "./entra/registration/model.js";
export {
  type DevTenantRegistration,
  type RegisterFlags,
  type RegisterInDevTenantOptions,
  registerInDevTenant,
} from "./entra/registration/register-in-dev-tenant.js";

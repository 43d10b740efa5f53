/** The in-process dev tenant of a test as a command's target (signing in with real msal-node). */
export { inProcessTenantTarget as devTarget } from "../../src/entra/login/in-process-target.js";

import { GraphPermissions } from "../../src/entra/graph-permissions.js";
import { MICROSOFT_GRAPH_APP_ID } from "../../src/entra/well-known.js";
import {
  graphAppRoles,
  graphPermissionScopes,
} from "../../src/tenant/microsoft-graph/graph-service-principal.js";

/**
 * Microsoft Graph's permissions as the dev tenant's Graph service principal publishes them, for unit
 * tests of code that gets them from the tenant (integration tests read them through Graph).
 */
export function devTenantGraphPermissions(): GraphPermissions {
  return new GraphPermissions({
    id: "00000000-0000-4000-8000-00000000aaaa",
    appId: MICROSOFT_GRAPH_APP_ID,
    displayName: "Microsoft Graph",
    oauth2PermissionScopes: graphPermissionScopes(),
    appRoles: graphAppRoles(),
  });
}

import { MICROSOFT_GRAPH_APP_ID } from "../../entra/well-known.js";
import type { TenantContext } from "../context.js";
import { servicePrincipalByAppId } from "../directory/lookups.js";
import {
  addPassword,
  newApplication,
  newAppRoleAssignment,
  newServicePrincipal,
} from "../directory/object-factories.js";

/** The application permissions a Graph admin app gets unless told otherwise. */
export const DEFAULT_GRAPH_ADMIN_ROLES = [
  "Application.ReadWrite.All",
  "AppRoleAssignment.ReadWrite.All",
  "DelegatedPermissionGrant.ReadWrite.All",
];

export interface GraphAdminApp {
  appId: string;
  applicationId: string;
  servicePrincipalId: string;
  /** The client secret; returned once, the tenant keeps only its hash. */
  secret: string;
}

/**
 * Registers a confidential client that holds Microsoft Graph application permissions (admin
 * consented: app role assignments on Graph's service principal) and gives it a secret, so a test
 * or a dev-tenant command can call Graph app-only through client credentials.
 */
export async function createGraphAdminApp(
  ctx: TenantContext,
  options: { displayName?: string; roles?: string[] } = {},
): Promise<GraphAdminApp> {
  const now = ctx.clock.iso();
  return ctx.store.commit((state) => {
    const graph = servicePrincipalByAppId(state, MICROSOFT_GRAPH_APP_ID);
    if (!graph) throw new Error("The dev tenant has no Microsoft Graph service principal");
    const roleIds = (options.roles ?? DEFAULT_GRAPH_ADMIN_ROLES).map((value) => {
      const id = graph.appRoles.find((role) => role.value === value)?.id;
      if (!id) throw new Error(`${value} is not an application permission of the tenant's Microsoft Graph`);
      return id;
    });
    const app = newApplication(
      {
        displayName: options.displayName ?? "mcp-entra Graph admin",
        requiredResourceAccess: [
          {
            resourceAppId: MICROSOFT_GRAPH_APP_ID,
            resourceAccess: roleIds.map((id) => ({ id, type: "Role" as const })),
          },
        ],
      },
      now,
    );
    const sp = newServicePrincipal(state, app, now);
    state.applications.push(app);
    state.servicePrincipals.push(sp);
    for (const roleId of roleIds) {
      state.appRoleAssignments.push(
        newAppRoleAssignment(
          { id: sp.id, displayName: sp.displayName, type: "ServicePrincipal" },
          graph,
          roleId,
          now,
        ),
      );
    }
    const { secretText } = addPassword(state, app, { displayName: "graph-admin" }, ctx.clock.now());
    return { appId: app.appId, applicationId: app.id, servicePrincipalId: sp.id, secret: secretText };
  });
}

import { MICROSOFT_GRAPH_APP_ID } from "../../entra/well-known.js";
import type { AppRole, PermissionScope, TenantState } from "../directory/tenant-state.js";
import { MICROSOFT_GRAPH_PERMISSIONS } from "./permission-catalogue.js";

/** What the dev tenant's Microsoft Graph service principal publishes, from the catalogue. */
export function graphPermissionScopes(): PermissionScope[] {
  return MICROSOFT_GRAPH_PERMISSIONS.flatMap(({ value, delegated }) =>
    delegated
      ? [
          {
            id: delegated.id,
            value,
            type: delegated.adminConsentRequired ? ("Admin" as const) : ("User" as const),
            isEnabled: true,
            adminConsentDisplayName: delegated.adminConsentDisplayName,
            adminConsentDescription: delegated.adminConsentDescription,
            userConsentDisplayName: delegated.userConsentDisplayName,
            userConsentDescription: delegated.userConsentDescription,
          },
        ]
      : [],
  );
}

export function graphAppRoles(): AppRole[] {
  return MICROSOFT_GRAPH_PERMISSIONS.flatMap(({ value, application }) =>
    application
      ? [
          {
            id: application.id,
            value,
            displayName: application.displayName,
            description: application.description,
            allowedMemberTypes: ["Application" as const],
            isEnabled: true,
          },
        ]
      : [],
  );
}

/**
 * A tenant created by an older mcp-entra keeps the Graph catalogue it was seeded with: give its
 * Microsoft Graph service principal today's (its object id, and so every grant, stays).
 */
export function refreshGraphCatalogue(state: TenantState): boolean {
  const graph = state.servicePrincipals.find((sp) => sp.appId === MICROSOFT_GRAPH_APP_ID);
  if (!graph) return false;
  const scopes = graphPermissionScopes();
  const roles = graphAppRoles();
  const same =
    JSON.stringify(graph.oauth2PermissionScopes) === JSON.stringify(scopes) &&
    JSON.stringify(graph.appRoles) === JSON.stringify(roles);
  if (same) return false;
  graph.oauth2PermissionScopes = scopes;
  graph.appRoles = roles;
  return true;
}

import type { TenantContext } from "../context.js";
import { applicationByAppId, type ClientApp, servicePrincipalByAppId } from "../directory/lookups.js";
import { addToGrant, newAppRoleAssignment, newServicePrincipal } from "../directory/object-factories.js";
import type { PermissionScope, TenantState } from "../directory/tenant-state.js";

// https://learn.microsoft.com/en-us/entra/identity-platform/v2-admin-consent
/**
 * What /{tenant}/adminconsent grants: tenant-wide consent (AllPrincipals grants) to the delegated
 * permissions the client's registration requires, and its application permissions (app role
 * assignments to its service principal) — for the resources `resourceAppIds` names, or all of them.
 */
export function staticPermissions(state: TenantState, client: ClientApp, resourceAppIds?: string[]) {
  return client.requiredResourceAccess
    .filter((entry) => !resourceAppIds || resourceAppIds.includes(entry.resourceAppId))
    .flatMap((entry) => {
      const resource = servicePrincipalByAppId(state, entry.resourceAppId);
      if (!resource) return [];
      const app = applicationByAppId(state, resource.appId);
      const scopes = app?.api.oauth2PermissionScopes ?? resource.oauth2PermissionScopes;
      const roles = app?.appRoles ?? resource.appRoles;
      return [
        {
          resource,
          scopes: entry.resourceAccess
            .filter((access) => access.type === "Scope")
            .map((access) => scopes.find((scope) => scope.id === access.id && scope.isEnabled))
            .filter((scope): scope is PermissionScope => scope !== undefined),
          roleIds: entry.resourceAccess
            .filter(
              (access) =>
                access.type === "Role" && roles.some((role) => role.id === access.id && role.isEnabled),
            )
            .map((access) => access.id),
        },
      ];
    });
}

/** Records the organization's consent; the client gets its service principal if it has none. */
export async function grantAdminConsent(ctx: TenantContext, client: ClientApp, resourceAppIds?: string[]) {
  await ctx.store.commit((state) => {
    let principal = servicePrincipalByAppId(state, client.appId);
    if (!principal && client.application) {
      principal = newServicePrincipal(state, client.application, ctx.clock.iso());
      state.servicePrincipals.push(principal);
    }
    if (!principal) return;
    for (const { resource, scopes, roleIds } of staticPermissions(state, client, resourceAppIds)) {
      if (scopes.length > 0) {
        const grant = {
          clientId: principal.id,
          resourceId: resource.id,
          consentType: "AllPrincipals" as const,
          principalId: null,
        };
        addToGrant(
          state,
          grant,
          scopes.map((scope) => scope.value),
        );
      }
      for (const roleId of roleIds) {
        const held = state.appRoleAssignments.some(
          (assignment) =>
            assignment.principalId === principal.id &&
            assignment.resourceId === resource.id &&
            assignment.appRoleId === roleId,
        );
        if (held) continue;
        const who = {
          id: principal.id,
          displayName: principal.displayName,
          type: "ServicePrincipal" as const,
        };
        state.appRoleAssignments.push(newAppRoleAssignment(who, resource, roleId, ctx.clock.iso()));
      }
    }
  });
}

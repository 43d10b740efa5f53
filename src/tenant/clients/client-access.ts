import type { ClientApp } from "../directory/lookups.js";
import type { TenantState, User } from "../directory/tenant-state.js";
import { AadstsError } from "../errors/protocol-error.js";

/**
 * Whether a user may sign in to a client at all, as the tenant's service principal of the client
 * says: a disabled one refuses everybody (AADSTS7000112); one with "assignment required" refuses
 * users who hold none of its app roles (AADSTS50105) — administrators too, as on Entra. This is how
 * an organisation blocks a first-party client such as Microsoft Graph Command Line Tools.
 */
export function clientAccessError(
  state: TenantState,
  client: ClientApp,
  user: User,
): AadstsError | undefined {
  const sp = client.servicePrincipal;
  if (!sp) return undefined;
  if (!sp.accountEnabled)
    return new AadstsError(7000112, { appId: client.appId, appName: client.displayName });
  const assigned = state.appRoleAssignments.some(
    (assignment) => assignment.resourceId === sp.id && assignment.principalId === user.id,
  );
  if (sp.appRoleAssignmentRequired && !assigned) {
    return new AadstsError(
      50105,
      { appId: client.appId, appName: client.displayName },
      { error: "access_denied" },
    );
  }
  return undefined;
}

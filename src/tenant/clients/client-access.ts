import type { ClientApp, ResourceApp } from "../directory/lookups.js";
import type { ServicePrincipal, TenantState, User } from "../directory/tenant-state.js";
import { AadstsError } from "../errors/protocol-error.js";

/**
 * Who may use an app at all, as the tenant's service principals say. A disabled service principal
 * refuses everybody, as client and as resource (AADSTS7000112); one with "assignment required"
 * (`appRoleAssignmentRequired`) refuses users and client apps that hold none of its app roles —
 * administrators too: AADSTS50105 for users, AADSTS501051 for apps. Checked at sign-in and at every
 * token request. This is also how an organisation blocks a first-party client such as Microsoft
 * Graph Command Line Tools.
 * (learn.microsoft.com/entra/identity-platform/howto-restrict-your-app-to-a-set-of-users;
 * learn.microsoft.com/entra/identity/enterprise-apps/disable-user-sign-in-portal)
 */

function isAssigned(state: TenantState, resource: ServicePrincipal, principalId: string): boolean {
  return state.appRoleAssignments.some(
    (assignment) => assignment.resourceId === resource.id && assignment.principalId === principalId,
  );
}

type Names = { appId: string; appName: string };

function disabled(sp: ServicePrincipal, names: Names): AadstsError | undefined {
  return sp.accountEnabled ? undefined : new AadstsError(7000112, names);
}

/** A user and one app: disabled (7000112), or requiring an assignment the user lacks (50105). */
function userAccessError(
  state: TenantState,
  sp: ServicePrincipal,
  names: Names,
  user: User,
  error: string,
): AadstsError | undefined {
  const off = disabled(sp, names);
  if (off || !sp.appRoleAssignmentRequired || isAssigned(state, sp, user.id)) return off;
  return new AadstsError(50105, names, { error });
}

/** Whether a user may sign in to a client (at /authorize, device code, and the user's token requests). */
export function clientAccessError(
  state: TenantState,
  client: ClientApp,
  user: User,
  error = "access_denied",
): AadstsError | undefined {
  const sp = client.servicePrincipal;
  const names = { appId: client.appId, appName: client.displayName };
  return sp ? userAccessError(state, sp, names, user, error) : undefined;
}

/** The principal a token is for: a signed-in user, or the client app itself (app-only). */
export type TokenSubject = { user: User } | { app: ServicePrincipal; client: ClientApp };

/** Whether the resource (the API a token is for) lets this user or app have one. */
export function resourceAccessError(
  state: TenantState,
  resource: ResourceApp,
  subject: TokenSubject,
  error = "invalid_grant",
): AadstsError | undefined {
  const sp = resource.servicePrincipal;
  const names = { appId: resource.appId, appName: resource.displayName };
  if ("user" in subject) return userAccessError(state, sp, names, subject.user, error);
  const off = disabled(sp, names);
  if (off || !sp.appRoleAssignmentRequired || isAssigned(state, sp, subject.app.id)) return off;
  return new AadstsError(501051, {
    appId: subject.client.appId,
    appName: subject.client.displayName,
    resourceId: resource.identifierUris[0] ?? resource.appId,
    resourceName: resource.displayName,
  });
}

/** The checks of a token request, client first: throws the first refusal. */
export function checkTokenAccess(
  state: TenantState,
  client: ClientApp,
  resource: ResourceApp,
  subject: TokenSubject,
): void {
  const clientError =
    "user" in subject
      ? clientAccessError(state, client, subject.user, "invalid_grant")
      : disabled(subject.app, { appId: client.appId, appName: client.displayName });
  const refused = clientError ?? resourceAccessError(state, resource, subject);
  if (refused) throw refused;
}

import type { ClientApp } from "../directory/lookups.js";
import type { ScopeRequest } from "../directory/scopes.js";
import type { PermissionScope, TenantState } from "../directory/tenant-state.js";

/** What a user may already use of a resource through a client, and what still needs consent. */
export interface ConsentStatus {
  /** Scope values on the resource the token may carry. */
  granted: string[];
  /** Scopes that need consent before a token can be issued. */
  missing: PermissionScope[];
  /** A Microsoft client asks for a tenant API that has not pre-authorized it (AADSTS65002). */
  firstPartyNotPreAuthorized: boolean;
}

function grantedValues(
  state: TenantState,
  client: ClientApp,
  resourceSpId: string,
  userId: string,
): string[] {
  const clientSpId = client.servicePrincipal?.id;
  if (!clientSpId) return [];
  return state.oauth2PermissionGrants
    .filter(
      (grant) =>
        grant.clientId === clientSpId &&
        grant.resourceId === resourceSpId &&
        (grant.consentType === "AllPrincipals" || grant.principalId === userId),
    )
    .flatMap((grant) => grant.scope.split(" ").filter(Boolean));
}

function preAuthorizedValues(request: ScopeRequest, client: ClientApp): string[] {
  const resource = request.resource;
  if (resource.isMicrosoftGraph && client.graphPreConsented) {
    // Microsoft's own clients are consented to Graph's user-consentable scopes in every tenant.
    return resource.scopes.filter((scope) => scope.type === "User").map((scope) => scope.value);
  }
  const ids = new Set(
    resource.preAuthorizedApplications
      .filter((entry) => entry.appId.toLowerCase() === client.appId)
      .flatMap((entry) => entry.delegatedPermissionIds),
  );
  return resource.scopes.filter((scope) => ids.has(scope.id)).map((scope) => scope.value);
}

export function consentStatus(
  state: TenantState,
  client: ClientApp,
  request: ScopeRequest,
  userId: string,
): ConsentStatus {
  const resource = request.resource;
  const available = new Set([
    ...grantedValues(state, client, resource.servicePrincipal.id, userId),
    ...preAuthorizedValues(request, client),
  ]);
  const enabled = (value: string) => resource.scopes.find((s) => s.isEnabled && s.value === value);
  let wanted: PermissionScope[];
  if (request.isDefault) {
    const configured = client.requiredResourceAccess
      .filter((entry) => entry.resourceAppId === resource.appId)
      .flatMap((entry) => entry.resourceAccess.filter((access) => access.type === "Scope"))
      .map((access) => resource.scopes.find((scope) => scope.id === access.id && scope.isEnabled))
      .filter((scope): scope is PermissionScope => scope !== undefined);
    wanted = available.size > 0 ? [] : configured;
  } else {
    wanted = request.values.map((value) => enabled(value)).filter((s): s is PermissionScope => !!s);
  }
  const missing = wanted.filter((scope) => !available.has(scope.value));
  const granted = request.isDefault
    ? [...available].filter((value) => enabled(value))
    : request.values.filter((value) => available.has(value));
  return {
    granted,
    missing,
    firstPartyNotPreAuthorized: client.firstParty && !resource.isMicrosoftGraph && missing.length > 0,
  };
}

import { randomUUID } from "node:crypto";
import { isGuid } from "../../entra/well-known.js";
import type { ServicePrincipal, TenantState } from "./tenant-state.js";

/**
 * User-assigned managed identities, as Entra holds them: a service principal of type
 * "ManagedIdentity" whose appId is the identity's client id and whose id is its principal (object)
 * id. A process on an Azure host asks the host's managed identity endpoint for the identity's token;
 * the dev tenant serves that endpoint too (see endpoints/managed-identity.ts and
 * clients/managed-identity-token.ts).
 */

export const MANAGED_IDENTITY_NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_-]{1,127}$/;

export interface ManagedIdentitySummary {
  name: string;
  clientId: string;
  principalId: string;
}

export function summarizeIdentity(sp: ServicePrincipal): ManagedIdentitySummary {
  return { name: sp.displayName, clientId: sp.appId, principalId: sp.id };
}

export function managedIdentities(state: TenantState): ServicePrincipal[] {
  return state.servicePrincipals.filter((sp) => sp.servicePrincipalType === "ManagedIdentity");
}

/** By client id or principal (object) id, as Azure's tools accept either. */
export function managedIdentityById(state: TenantState, id: string): ServicePrincipal | undefined {
  const wanted = id.toLowerCase();
  return managedIdentities(state).find((sp) => sp.appId === wanted || sp.id === wanted);
}

/** Adds a user-assigned identity; undefined when one of that name exists. */
export function addManagedIdentity(
  state: TenantState,
  name: string,
  now: string,
): ServicePrincipal | undefined {
  if (managedIdentities(state).some((sp) => sp.displayName.toLowerCase() === name.toLowerCase()))
    return undefined;
  const clientId = randomUUID();
  const sp: ServicePrincipal = {
    id: randomUUID(),
    appId: clientId,
    displayName: name,
    appOwnerOrganizationId: state.tenant.id,
    servicePrincipalType: "ManagedIdentity",
    accountEnabled: true,
    appRoleAssignmentRequired: false,
    servicePrincipalNames: [clientId],
    appRoles: [],
    oauth2PermissionScopes: [],
    replyUrls: [],
    signInAudience: "AzureADMyOrg",
    tags: [],
    createdDateTime: now,
  };
  state.servicePrincipals.push(sp);
  return sp;
}

/** An id given on the endpoint's query: a GUID, else nothing matches. */
export function identityFromQuery(state: TenantState, id: string | undefined): ServicePrincipal | undefined {
  return id && isGuid(id) ? managedIdentityById(state, id) : undefined;
}

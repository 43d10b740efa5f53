import { createHmac, randomUUID } from "node:crypto";
import type { JWTPayload } from "jose";
import { FEDERATED_TOKEN_AUDIENCE, isGuid, TOKEN_EXCHANGE_APP_ID } from "../entra/well-known.js";
import type { TenantContext } from "./context.js";
import type { ServicePrincipal, TenantState } from "./model.js";
import { recordIssuedSecret } from "./secret-ledger.js";
import { tenantUrls } from "./urls.js";

/**
 * User-assigned managed identities, as Entra holds them: a service principal of type
 * "ManagedIdentity" whose appId is the identity's client id and whose id is its principal (object)
 * id. A process on an Azure host asks the host's managed identity endpoint for the identity's token;
 * the dev tenant serves that endpoint too (see routes/managed-identity.ts).
 */

export const MANAGED_IDENTITY_NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_-]{1,127}$/;

/** Managed identity tokens live about a day, as on Azure. */
const LIFETIME_SECONDS = 24 * 3600;

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

/**
 * The value of IDENTITY_HEADER that the dev tenant's managed identity endpoint requires, as an Azure
 * host gives its processes one; derived from the admin token, so it holds across restarts.
 */
export function identityHeader(adminToken: string): string {
  return createHmac("sha256", adminToken).update("managed identity endpoint").digest("base64url");
}

/** The path of the managed identity endpoint (App Service and Container Apps serve /msi/token). */
export const MANAGED_IDENTITY_ENDPOINT_PATH = "/msi/token";

/** What an Azure host sets for its processes: `IDENTITY_ENDPOINT` and `IDENTITY_HEADER`. */
export function managedIdentityHostEnvironment(origin: string, adminToken: string): Record<string, string> {
  return {
    IDENTITY_ENDPOINT: `${origin}${MANAGED_IDENTITY_ENDPOINT_PATH}`,
    IDENTITY_HEADER: identityHeader(adminToken),
  };
}

/** The resources whose tokens the dev tenant gives managed identities. */
export function isTokenExchangeResource(resource: string): boolean {
  const bare = resource.replace(/\/\.default$/, "").replace(/\/$/, "");
  return bare === FEDERATED_TOKEN_AUDIENCE || bare === TOKEN_EXCHANGE_APP_ID;
}

/**
 * The identity's token for api://AzureADTokenExchange, shaped as Entra issues it: a v2 app-only
 * token whose `aud` is the exchange resource's app id, `sub` and `oid` the principal id, `azp` the
 * client id — what a federated credential trusting the identity matches.
 */
export async function managedIdentityToken(
  ctx: TenantContext,
  sp: ServicePrincipal,
  claims: JWTPayload = {},
): Promise<{ token: string; expiresOn: number }> {
  const now = ctx.clock.nowSeconds();
  const tenantId = ctx.store.state.tenant.id;
  const payload: JWTPayload = {
    aud: TOKEN_EXCHANGE_APP_ID,
    iss: tenantUrls(ctx.origin, tenantId).issuer,
    iat: now,
    nbf: now,
    exp: now + LIFETIME_SECONDS,
    azp: sp.appId,
    azpacr: "2",
    idtyp: "app",
    oid: sp.id,
    sub: sp.id,
    tid: tenantId,
    uti: randomUUID(),
    ver: "2.0",
    xms_mirid: `/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/dev-tenant/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${sp.displayName}`,
    ...claims,
  };
  const token = await ctx.keys.sign(payload);
  recordIssuedSecret(token);
  return { token, expiresOn: Number(payload.exp) };
}

/** An id given on the endpoint's query: a GUID, else nothing matches. */
export function identityFromQuery(state: TenantState, id: string | undefined): ServicePrincipal | undefined {
  return id && isGuid(id) ? managedIdentityById(state, id) : undefined;
}

import { createHmac, randomUUID } from "node:crypto";
import type { JWTPayload } from "jose";
import { FEDERATED_TOKEN_AUDIENCE, TOKEN_EXCHANGE_APP_ID } from "../../entra/well-known.js";
import type { TenantContext } from "../context.js";
import type { ServicePrincipal } from "../directory/tenant-state.js";
import { recordIssuedSecret } from "../secrets/secret-ledger.js";
import { tenantUrls } from "../server/urls.js";

/**
 * What an Azure host's managed identity endpoint gives a process, as the dev tenant stands in for it:
 * the IDENTITY_ENDPOINT and IDENTITY_HEADER it sets, and a user-assigned identity's token for
 * api://AzureADTokenExchange (the client assertion an app trusting the identity presents).
 */

/** Managed identity tokens live about a day, as on Azure. */
const LIFETIME_SECONDS = 24 * 3600;

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

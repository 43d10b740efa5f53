import type { TenantContext } from "../context.js";
import { type ClientApp, isAdministrator, servicePrincipalByAppId } from "../directory/lookups.js";
import { addToGrant, newServicePrincipal } from "../directory/object-factories.js";
import type { ScopeRequest } from "../directory/scopes.js";
import type { PermissionScope, TenantState, User } from "../directory/tenant-state.js";
import { AadstsError } from "../errors/protocol-error.js";
import { consentStatus } from "./consent-status.js";

/** What happens with consent when a signed-in user asks for scopes through a client. */
export type ConsentDecision =
  /** A token may carry these scope values. */
  | { kind: "granted"; scopes: string[] }
  /** The user must see the consent page for `shown`; `missing` is what accepting grants. */
  | { kind: "ask"; missing: PermissionScope[]; shown: PermissionScope[] }
  /** 65002 (first-party client not pre-authorized) or 90094 (admin-only permissions, not an admin). */
  | { kind: "denied"; error: AadstsError; adminOnly: PermissionScope[] };

export function decideConsent(
  state: TenantState,
  client: ClientApp,
  request: ScopeRequest,
  user: User,
  forcePrompt: boolean,
): ConsentDecision {
  const status = consentStatus(state, client, request, user.id);
  if (status.firstPartyNotPreAuthorized) {
    const error = new AadstsError(65002, { appId: client.appId, resource: request.resource.appId });
    return { kind: "denied", error, adminOnly: [] };
  }
  if (status.missing.length === 0 && !forcePrompt) return { kind: "granted", scopes: status.granted };
  const adminOnly = status.missing.filter((scope) => scope.type === "Admin");
  if (adminOnly.length > 0 && !isAdministrator(state, user.id)) {
    // At /authorize this is the end of the flow for the user; it goes back to the client as access_denied.
    return { kind: "denied", error: new AadstsError(90094, {}, { error: "access_denied" }), adminOnly };
  }
  const shown =
    status.missing.length > 0
      ? status.missing
      : request.resource.scopes.filter((scope) => status.granted.includes(scope.value));
  return { kind: "ask", missing: status.missing, shown };
}

/**
 * Remembers consent as Entra does: a Principal oauth2PermissionGrant for the user, or an
 * AllPrincipals grant when an administrator consents for the organization. The client gets a service
 * principal first if it has none (consent is what creates it in a tenant).
 */
export async function recordConsent(
  ctx: TenantContext,
  client: ClientApp,
  request: ScopeRequest,
  userId: string,
  values: string[],
  forOrganization: boolean,
): Promise<void> {
  await ctx.store.commit((state) => {
    let clientPrincipal = servicePrincipalByAppId(state, client.appId);
    if (!clientPrincipal && client.application) {
      clientPrincipal = newServicePrincipal(state, client.application, ctx.clock.iso());
      state.servicePrincipals.push(clientPrincipal);
    }
    if (!clientPrincipal || values.length === 0) return;
    addToGrant(
      state,
      {
        clientId: clientPrincipal.id,
        resourceId: request.resource.servicePrincipal.id,
        consentType: forOrganization ? "AllPrincipals" : "Principal",
        principalId: forOrganization ? null : userId,
      },
      values,
    );
  });
}

import { checkTokenAccess } from "../clients/client-access.js";
import { authenticateClient } from "../clients/client-auth.js";
import { presentedCredentials } from "../clients/client-credentials-input.js";
import { userById } from "../directory/lookups.js";
import { checkResourceParameter, resolveScopes } from "../directory/scopes.js";
import { AadstsError } from "../errors/protocol-error.js";
import { hashSecret } from "../secrets/passwords.js";
import { checkConsentPropagated } from "../server/propagation.js";
import { consentStatus } from "../sign-in/consent-status.js";
import { checkRedemptionOrigin, spaRefreshExpired } from "../tokens/spa-redemption.js";
import { issueDelegated } from "../tokens/token-response.js";
import type { GrantHandler } from "./grant.js";

/**
 * grant_type=refresh_token. Entra's refresh tokens are multi-resource: the client may ask for scopes
 * of any API the user has consented to. Each use returns a new refresh token, but, as on Entra, the
 * used one is not revoked: it stays valid until it expires, its user is removed, or a replay of the
 * code it descends from revokes its family. Whoever wraps these tokens must detect reuse itself.
 */
export const refreshTokenGrant: GrantHandler = async (ctx, request) => {
  const params = request.params;
  if (!params.refresh_token) throw new AadstsError(900144, { parameter: "refresh_token" });
  const hash = hashSecret(params.refresh_token);
  const record = ctx.store.state.refreshTokens[hash];
  const { client, level } = await authenticateClient(
    ctx,
    presentedCredentials(params, request.authorization),
    { tokenEndpoints: request.tokenEndpoints, requireCredential: record?.confidential === true },
  );
  if (!record || record.clientId !== client.appId) throw badToken();
  checkRedemptionOrigin(record.spa === true, request.origin);
  if (record.spa && ctx.clock.now() >= record.expiresAt) throw spaRefreshExpired(record.expiresAt);
  if (ctx.clock.now() >= record.expiresAt) {
    const issuedAt = new Date(record.issuedAt).toISOString();
    const maxAge = ctx.options.refreshTokenLifetimeSeconds;
    throw new AadstsError(70043, { issuedAt, maxAge }, { suberror: "bad_token" });
  }
  const state = ctx.store.state;
  const user = userById(state, record.userId);
  if (!user?.accountEnabled) throw badToken();
  const scopes = resolveScopes(state, params.scope ?? record.scopes.join(" "), client.displayName);
  checkResourceParameter(scopes, params.resource);
  checkTokenAccess(state, client, scopes.resource, { user });
  const status = consentStatus(state, client, scopes, user.id);
  if (status.firstPartyNotPreAuthorized) {
    throw new AadstsError(65002, { appId: client.appId, resource: scopes.resource.appId });
  }
  if (status.missing.length > 0) {
    const names = { appId: client.appId, appName: client.displayName };
    throw new AadstsError(65001, names, { suberror: "consent_required" });
  }
  checkConsentPropagated(ctx, client, scopes.resource.servicePrincipal.id, "consent_required");
  // Revoked while the client was authenticated (a replayed code, the user removed): refused.
  if (state.refreshTokens[hash] !== record) throw badToken();
  return issueDelegated(ctx, {
    client,
    clientAuth: level,
    request: scopes,
    user,
    scopes: status.granted,
    authTime: record.authTime ?? Math.floor(record.issuedAt / 1000),
    clientInfo: params.client_info === "1",
    refresh: true,
    family: record.family,
    spa: record.spa ? { expiresAt: record.expiresAt } : undefined,
  });
};

/** Entra's answer for an unknown, rotated or revoked refresh token; msal drops it from its cache. */
function badToken(): AadstsError {
  return new AadstsError(70000, { parameter: "refresh_token" }, { suberror: "bad_token" });
}

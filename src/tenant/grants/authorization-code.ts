import { timingSafeEqual } from "node:crypto";
import { checkTokenAccess } from "../clients/client-access.js";
import { authenticateClient } from "../clients/client-auth.js";
import { presentedCredentials } from "../clients/client-credentials-input.js";
import type { TenantContext } from "../context.js";
import { type ClientApp, userById } from "../directory/lookups.js";
import { resolveScopeSets, resolveScopes, type ScopeRequest } from "../directory/scopes.js";
import { AadstsError } from "../errors/protocol-error.js";
import { hashSecret } from "../secrets/passwords.js";
import { findAuthorizationCode } from "../sign-in/authorization-codes.js";
import { consentStatus } from "../sign-in/consent-status.js";
import type { AuthorizationCode } from "../sign-in/short-lived-records.js";
import { checkRedemptionOrigin, checkSpaPkce } from "../tokens/spa-redemption.js";
import { issueDelegated } from "../tokens/token-response.js";
import type { GrantHandler } from "./grant.js";

/**
 * grant_type=authorization_code: single use (a replay fails with 54005 and revokes the refresh tokens
 * issued for the code), 10 minutes, bound to its client and redirect URI, PKCE verified. Codes issued
 * to a web redirect URI need the client's credential; spa and public client ones do not.
 */
export const authorizationCodeGrant: GrantHandler = async (ctx, request) => {
  const params = request.params;
  if (!params.code) throw new AadstsError(900144, { parameter: "code" });
  const code = findAuthorizationCode(ctx, params.code);
  const presented = presentedCredentials(params, request.authorization);
  const ownCode = code?.clientId === presented.clientId?.trim().toLowerCase();
  const { client, level } = await authenticateClient(ctx, presented, {
    tokenEndpoints: request.tokenEndpoints,
    requireCredential: ownCode && code?.platform === "web",
  });
  if (!code || code.clientId !== client.appId) throw new AadstsError(70000, { parameter: "code" });
  if (code.redeemed) {
    await revokeFamily(ctx, code.id);
    throw new AadstsError(54005);
  }
  code.redeemed = true;
  if (ctx.clock.now() >= code.expiresAt) throw new AadstsError(70008);
  if (params.redirect_uri !== code.redirectUri) {
    throw new AadstsError(500112, { redirectUri: params.redirect_uri ?? "", expected: code.redirectUri });
  }
  checkRedemptionOrigin(code.platform === "spa", request.origin);
  if (code.platform === "spa") checkSpaPkce(code.codeChallenge);
  verifyPkce(code, params.code_verifier);
  const user = userById(ctx.store.state, code.userId);
  if (!user?.accountEnabled) throw new AadstsError(70000, { parameter: "code" });
  const { scopes, granted } = redeemedFor(ctx, client, code, params.scope, user.id);
  checkTokenAccess(ctx.store.state, client, scopes.resource, { user });
  return issueDelegated(ctx, {
    client,
    clientAuth: level,
    request: scopes,
    user,
    scopes: granted,
    nonce: code.nonce,
    authTime: code.authTime,
    clientInfo: params.client_info === "1",
    refresh: scopes.oidc.includes("offline_access"),
    family: code.id,
    spa: code.platform === "spa" ? {} : undefined,
  });
};

// https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#redeem-a-code-for-an-access-token
/**
 * The resource the code's token is for: the first one /authorize named, unless the redemption's
 * `scope` names another resource the user consented to (a code from a multi-resource /authorize
 * serves any of them; the OIDC scopes stay the code's).
 */
function redeemedFor(
  ctx: TenantContext,
  client: ClientApp,
  code: AuthorizationCode,
  scopeParam: string | undefined,
  userId: string,
): { scopes: ScopeRequest; granted: string[] } {
  const state = ctx.store.state;
  const [first] = resolveScopeSets(state, code.scope, client.displayName);
  const fromCode = first ?? resolveScopes(state, code.scope, client.displayName);
  const asked = scopeParam ? resolveScopes(state, scopeParam, client.displayName) : undefined;
  const namesResource = asked !== undefined && (asked.values.length > 0 || asked.isDefault);
  if (!namesResource || asked.resource.appId === fromCode.resource.appId) {
    return { scopes: fromCode, granted: code.grantedScopes };
  }
  const scopes = { ...asked, oidc: fromCode.oidc };
  const status = consentStatus(state, client, scopes, userId);
  if (status.missing.length > 0) {
    throw new AadstsError(
      65001,
      { appId: client.appId, appName: client.displayName },
      { suberror: "consent_required" },
    );
  }
  return { scopes, granted: status.granted };
}

function verifyPkce(code: AuthorizationCode, verifier: string | undefined): void {
  if (!code.codeChallenge) return;
  const computed = code.codeChallengeMethod === "S256" ? hashSecret(verifier ?? "") : (verifier ?? "");
  const a = Buffer.from(computed);
  const b = Buffer.from(code.codeChallenge);
  if (!verifier || a.length !== b.length || !timingSafeEqual(a, b)) throw new AadstsError(50148);
}

/** A replayed code revokes every refresh token that descends from its first redemption. */
async function revokeFamily(ctx: TenantContext, family: string): Promise<void> {
  ctx.memory.revokedFamilies.add(family);
  await ctx.store.commit((state) => {
    for (const [hash, record] of Object.entries(state.refreshTokens)) {
      if (record.family === family) delete state.refreshTokens[hash];
    }
  });
}

import { timingSafeEqual } from "node:crypto";
import { checkTokenAccess } from "../clients/client-access.js";
import { authenticateClient } from "../clients/client-auth.js";
import { presentedCredentials } from "../clients/client-credentials-input.js";
import type { TenantContext } from "../context.js";
import { userById } from "../directory/lookups.js";
import { resolveScopes } from "../directory/scopes.js";
import { AadstsError } from "../errors/protocol-error.js";
import { hashSecret } from "../secrets/passwords.js";
import { findAuthorizationCode } from "../sign-in/authorization-codes.js";
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
  const scopes = resolveScopes(ctx.store.state, code.scope, client.displayName);
  checkTokenAccess(ctx.store.state, client, scopes.resource, { user });
  return issueDelegated(ctx, {
    client,
    clientAuth: level,
    request: scopes,
    user,
    scopes: code.grantedScopes,
    nonce: code.nonce,
    authTime: code.authTime,
    clientInfo: params.client_info === "1",
    refresh: scopes.oidc.includes("offline_access"),
    family: code.id,
    spa: code.platform === "spa" ? {} : undefined,
  });
};

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

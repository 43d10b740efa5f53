import type { Request, Response } from "express";
import { authenticateClient } from "./client-authentication.js";
import type { ProxyClient } from "./clients.js";
import { sha256 } from "./crypto-helpers.js";
import { EntraTokenError, type EntraTokens, openTokens } from "./entra-token-client.js";
import { OAuthError, singleParams } from "./oauth-error.js";
import { verifyPkce } from "./pkce.js";
import type { OAuthProxy } from "./proxy-context.js";
import { newFamilyId } from "./refresh-tokens.js";
import { checkRequestedScope, checkResource } from "./requested-scope.js";

/** How long a redeemed code is remembered, so that a replay revokes what it gave. */
const REDEEMED_CODE_MS = 10 * 60_000;

/**
 * POST /token: the authorization_code grant (the proxy's own code, with the client's PKCE
 * verifier) and the refresh_token grant (refreshed at Entra). Clients get Entra's access token for
 * this API — so the MCP endpoint validates exactly what it validates without the proxy — and a
 * refresh token of the proxy's own (refresh-tokens.ts), never Entra's.
 */
export function tokenEndpoint(proxy: OAuthProxy) {
  return async (req: Request, res: Response): Promise<void> => {
    const params = singleParams(req.body);
    const client = await authenticateClient(proxy, params, req.headers.authorization);
    if (!params.grant_type) throw new OAuthError("invalid_request", "grant_type is missing.");
    let issued: { tokens: EntraTokens; refreshToken?: string };
    if (params.grant_type === "authorization_code") issued = await redeemCode(proxy, client, params);
    else if (params.grant_type === "refresh_token") issued = await refresh(proxy, client, params);
    else
      throw new OAuthError(
        "unsupported_grant_type",
        "grant_type must be authorization_code or refresh_token.",
      );

    proxy.log.info("tokens issued", { client: client.client_id, grant: params.grant_type });
    res
      .set("Cache-Control", "no-store")
      .set("Pragma", "no-cache")
      .json({
        access_token: issued.tokens.accessToken,
        token_type: "Bearer",
        expires_in: Math.max(0, Math.floor((issued.tokens.expiresAt - proxy.now()) / 1000)),
        scope: proxy.config.scope,
        ...(issued.refreshToken ? { refresh_token: issued.refreshToken } : {}),
      });
  };
}

async function redeemCode(
  proxy: OAuthProxy,
  client: ProxyClient,
  params: Record<string, string | undefined>,
): Promise<{ tokens: EntraTokens; refreshToken?: string }> {
  if (!params.code) throw new OAuthError("invalid_request", "code is missing.");
  // Taken out before any check: a code is spent by its first use, right or wrong. What stays behind
  // names the refresh-token family it starts, so that a replay can revoke it (RFC 6749 §4.1.2).
  const familyId = newFamilyId();
  const issued = await proxy.state.take("code", sha256(params.code), {
    value: { redeemed: true, familyId },
    ttlMs: REDEEMED_CODE_MS,
  });
  if (issued && "redeemed" in issued) {
    await proxy.refreshTokens.revoke(issued.familyId);
    proxy.log.warn("authorization code replayed: the tokens issued for it are revoked", {
      client: client.client_id,
    });
    throw new OAuthError("invalid_grant", "The code was already used: the tokens issued for it are revoked.");
  }
  if (!issued || issued.clientId !== client.client_id) {
    throw new OAuthError("invalid_grant", "The code is unknown, expired, already used or not this client's.");
  }
  if (params.redirect_uri !== issued.redirectUri) {
    throw new OAuthError("invalid_grant", "redirect_uri differs from the authorization request's.");
  }
  if (!verifyPkce(issued.codeChallenge, params.code_verifier)) {
    throw new OAuthError("invalid_grant", "code_verifier does not match the code_challenge.");
  }
  checkResource(proxy.config, params.resource);
  const tokens = openTokens(proxy.box, issued.tokens);
  if (!tokens) throw new OAuthError("invalid_grant", "The code cannot be used: sign in again.");
  if (!client.grant_types.includes("refresh_token") || !tokens.refreshToken) return { tokens };
  const refreshToken = await proxy.refreshTokens.start(
    { id: familyId, clientId: client.client_id, resource: proxy.config.serverUrl, userId: issued.user.id },
    tokens.refreshToken,
  );
  // Revoked before it existed: the code was replayed while this redemption was under way.
  if (!refreshToken) throw new OAuthError("invalid_grant", "The code was used twice.");
  return { tokens, refreshToken };
}

async function refresh(
  proxy: OAuthProxy,
  client: ProxyClient,
  params: Record<string, string | undefined>,
): Promise<{ tokens: EntraTokens; refreshToken: string }> {
  if (!client.grant_types.includes("refresh_token")) {
    throw new OAuthError("unauthorized_client", "This client did not register the refresh_token grant.");
  }
  if (!params.refresh_token) throw new OAuthError("invalid_request", "refresh_token is missing.");
  const { family, entraRefreshToken } = await proxy.refreshTokens.use(params.refresh_token, client.client_id);
  checkRequestedScope(proxy.config, params.scope);
  checkResource({ serverUrl: family.resource }, params.resource);
  let tokens: EntraTokens;
  try {
    tokens = await proxy.entra.refresh(entraRefreshToken);
  } catch (error) {
    if (!(error instanceof EntraTokenError)) throw error;
    proxy.log.warn("Entra did not refresh", { client: client.client_id, reason: error.message });
    const aadsts = error.aadsts ? ` (${error.aadsts})` : "";
    if (error.error === "invalid_grant" || error.error === "interaction_required") {
      // Entra ended the session (sign-out everywhere, a password change, an expired token): so does the proxy.
      await proxy.refreshTokens.revoke(family.id);
      throw new OAuthError(
        "invalid_grant",
        `Microsoft Entra ID refused the refresh${aadsts}: sign in again.`,
      );
    }
    if (error.error === "temporarily_unavailable" || error.error.startsWith("http_5")) {
      throw new OAuthError("temporarily_unavailable", "Microsoft Entra ID could not be reached.", 503);
    }
    // Anything else (an expired app credential, a changed registration) is this server's problem.
    throw new OAuthError("server_error", `The server could not refresh at Microsoft Entra ID${aadsts}.`, 500);
  }
  return { tokens, refreshToken: await proxy.refreshTokens.rotate(family, tokens.refreshToken) };
}

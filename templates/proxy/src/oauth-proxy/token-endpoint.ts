import type { Request, Response } from "express";
import { authenticateClient } from "./client-authentication.js";
import type { ProxyClient } from "./clients.js";
import { sha256 } from "./crypto-helpers.js";
import { EntraTokenError, type EntraTokens } from "./entra-token-client.js";
import { OAuthError, singleParams } from "./oauth-error.js";
import { verifyPkce } from "./pkce.js";
import type { OAuthProxy } from "./proxy-context.js";
import { checkRequestedScope, checkResource } from "./requested-scope.js";

/**
 * POST /token: the authorization_code grant (the proxy's own code, with the client's PKCE
 * verifier) and the refresh_token grant (refreshed at Entra). Clients get Entra's access token
 * for this API — so the MCP endpoint validates exactly what it validates without the proxy — and
 * a refresh token that wraps Entra's.
 */
export function tokenEndpoint(proxy: OAuthProxy) {
  return async (req: Request, res: Response): Promise<void> => {
    const params = singleParams(req.body);
    const client = await authenticateClient(proxy, params, req.headers.authorization);
    if (!params.grant_type) throw new OAuthError("invalid_request", "grant_type is missing.");
    let tokens: EntraTokens;
    if (params.grant_type === "authorization_code") tokens = redeemCode(proxy, client, params);
    else if (params.grant_type === "refresh_token") tokens = await refresh(proxy, client, params);
    else
      throw new OAuthError(
        "unsupported_grant_type",
        "grant_type must be authorization_code or refresh_token.",
      );

    const refreshable = client.grant_types.includes("refresh_token") && tokens.refreshToken;
    proxy.log.info("tokens issued", { client: client.client_id, grant: params.grant_type });
    res
      .set("Cache-Control", "no-store")
      .set("Pragma", "no-cache")
      .json({
        access_token: tokens.accessToken,
        token_type: "Bearer",
        expires_in: Math.max(0, Math.floor((tokens.expiresAt - proxy.now()) / 1000)),
        scope: proxy.config.scope,
        ...(refreshable
          ? {
              refresh_token: proxy.sealer.seal({
                clientId: client.client_id,
                entraRefreshToken: refreshable,
              }),
            }
          : {}),
      });
  };
}

function redeemCode(
  proxy: OAuthProxy,
  client: ProxyClient,
  params: Record<string, string | undefined>,
): EntraTokens {
  if (!params.code) throw new OAuthError("invalid_request", "code is missing.");
  // Taken out before any check: a code is spent by its first use, right or wrong.
  const issued = proxy.codes.take(sha256(params.code));
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
  return issued.tokens;
}

async function refresh(
  proxy: OAuthProxy,
  client: ProxyClient,
  params: Record<string, string | undefined>,
): Promise<EntraTokens> {
  if (!client.grant_types.includes("refresh_token")) {
    throw new OAuthError("unauthorized_client", "This client did not register the refresh_token grant.");
  }
  if (!params.refresh_token) throw new OAuthError("invalid_request", "refresh_token is missing.");
  const grant = proxy.sealer.open(params.refresh_token);
  if (!grant || grant.clientId !== client.client_id) {
    throw new OAuthError("invalid_grant", "The refresh token is invalid or not this client's.");
  }
  checkRequestedScope(proxy.config, params.scope);
  checkResource(proxy.config, params.resource);
  try {
    const tokens = await proxy.entra.refresh(grant.entraRefreshToken);
    return { ...tokens, refreshToken: tokens.refreshToken ?? grant.entraRefreshToken };
  } catch (error) {
    if (!(error instanceof EntraTokenError)) throw error;
    proxy.log.warn("Entra did not refresh", { client: client.client_id, reason: error.message });
    const aadsts = error.aadsts ? ` (${error.aadsts})` : "";
    if (error.error === "invalid_grant" || error.error === "interaction_required") {
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
}

import type { Request, Response } from "express";
import { randomToken, sha256 } from "./crypto-helpers.js";
import { proxyEndpoints } from "./endpoints.js";
import { EntraTokenError } from "./entra-token-client.js";
import { OAuthError, singleParams } from "./oauth-error.js";
import type { OAuthProxy } from "./proxy-context.js";
import { clientRedirect } from "./redirect-uris.js";

/** Entra's authorization errors a client should read as "the user did not let it in". */
const DENIALS = new Set(["access_denied", "consent_required", "interaction_required", "login_required"]);

/**
 * GET /oauth/callback: Entra sends the browser back here. The proxy checks its state (one use),
 * redeems Entra's code with its PKCE verifier and this app's credential, then gives the client its
 * own one-time code — bound to the client, its redirect URI and its PKCE challenge — and the
 * client's state.
 */
export function callbackEndpoint(proxy: OAuthProxy) {
  const { issuer } = proxyEndpoints(proxy.config);
  return async (req: Request, res: Response): Promise<void> => {
    const params = singleParams(req.query);
    const pending = params.state ? proxy.pending.take(params.state) : undefined;
    if (!pending) {
      throw new OAuthError("invalid_request", "Unknown or expired sign-in: start again from the client.");
    }
    const back = (answer: Record<string, string | undefined>) =>
      res
        .set("Cache-Control", "no-store")
        .redirect(
          302,
          clientRedirect(pending.redirectUri, { ...answer, state: pending.clientState, iss: issuer }),
        );

    if (params.error || !params.code) {
      const aadsts = /AADSTS\d+/.exec(params.error_description ?? "")?.[0];
      proxy.log.warn("sign-in at Entra failed", { client: pending.clientId, error: params.error, aadsts });
      const denied = params.error !== undefined && DENIALS.has(params.error);
      return void back({
        error: denied ? "access_denied" : "server_error",
        error_description: `Sign-in at Microsoft Entra ID failed${aadsts ? ` (${aadsts})` : ""}.`,
      });
    }
    let tokens: Awaited<ReturnType<typeof proxy.entra.redeemCode>>;
    try {
      tokens = await proxy.entra.redeemCode(params.code, pending.entraVerifier);
    } catch (error) {
      if (!(error instanceof EntraTokenError)) throw error;
      proxy.log.warn("Entra did not redeem its code", { client: pending.clientId, reason: error.message });
      return void back({
        error: "server_error",
        error_description: `Microsoft Entra ID refused the sign-in${error.aadsts ? ` (${error.aadsts})` : ""}.`,
      });
    }
    const code = randomToken();
    proxy.codes.set(sha256(code), {
      clientId: pending.clientId,
      redirectUri: pending.redirectUri,
      codeChallenge: pending.codeChallenge,
      tokens,
    });
    proxy.log.info("sign-in completed", { client: pending.clientId });
    back({ code });
  };
}

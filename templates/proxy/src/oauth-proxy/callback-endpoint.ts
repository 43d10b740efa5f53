import type { Request, Response } from "express";
import { failSignIn } from "./client-answers.js";
import { randomToken } from "./crypto-helpers.js";
import { proxyEndpoints } from "./endpoints.js";
import { EntraTokenError, type EntraTokens, sealTokens } from "./entra-token-client.js";
import { clientRequestOf, finishSignIn } from "./finish-sign-in.js";
import { OAuthError, singleParams } from "./oauth-error.js";
import type { OAuthProxy } from "./proxy-context.js";
import { signedInUser } from "./signed-in-user.js";

/** Entra's authorization errors a client should read as "the user did not let it in". */
const DENIALS = new Set(["access_denied", "consent_required", "interaction_required", "login_required"]);

/**
 * GET /oauth/callback: Entra sends the browser back here. The proxy checks its state (one use) and
 * that this is the browser that started the sign-in, redeems Entra's code with its PKCE verifier and
 * this app's credential, and learns who signed in. If that user has allowed the client before, the
 * client gets its code now; otherwise the browser goes to the consent page first (consent-endpoint.ts).
 */
export function callbackEndpoint(proxy: OAuthProxy) {
  const endpoints = proxyEndpoints(proxy.config);
  return async (req: Request, res: Response): Promise<void> => {
    const params = singleParams(req.query);
    const pending = params.state ? await proxy.state.take("sign-in", params.state) : undefined;
    if (!pending) {
      throw new OAuthError(
        "invalid_request",
        "Unknown or expired sign-in: start again from the application.",
      );
    }
    if (!proxy.binding.matches(req, pending.browser)) {
      proxy.log.warn("sign-in refused: Entra's answer reached another browser", { client: pending.clientId });
      throw new OAuthError(
        "invalid_request",
        "This sign-in was started in another browser, or this browser's sign-in cookie is gone: start again from the application, in this browser.",
      );
    }
    const request = clientRequestOf(pending);

    if (params.error || !params.code) {
      const aadsts = /AADSTS\d+/.exec(params.error_description ?? "")?.[0];
      proxy.log.warn("sign-in at Entra failed", { client: pending.clientId, error: params.error, aadsts });
      const denied = params.error !== undefined && DENIALS.has(params.error);
      const failure = new OAuthError(
        denied ? "access_denied" : "server_error",
        `Sign-in at Microsoft Entra ID failed${aadsts ? ` (${aadsts})` : ""}.`,
      );
      return failSignIn(proxy, res, request, failure);
    }
    let tokens: EntraTokens;
    try {
      tokens = await proxy.entra.redeemCode(params.code, pending.entraVerifier);
    } catch (error) {
      if (!(error instanceof EntraTokenError)) throw error;
      proxy.log.warn("Entra did not redeem its code", { client: pending.clientId, reason: error.message });
      const failure = new OAuthError(
        "server_error",
        `Microsoft Entra ID refused the sign-in${error.aadsts ? ` (${error.aadsts})` : ""}.`,
      );
      return failSignIn(proxy, res, request, failure);
    }
    const user = signedInUser(tokens.accessToken);
    const sealed = sealTokens(proxy.box, tokens);
    if (await proxy.state.consent(user.id, request.clientId)) {
      return finishSignIn(proxy, res, request, user, sealed, 302);
    }

    const id = randomToken();
    const added = await proxy.state.add(
      "consent",
      id,
      { ...request, browser: pending.browser, user, tokens: sealed },
      request.clientId,
    );
    if (!added) {
      const busy = new OAuthError("temporarily_unavailable", "The server is too busy: try again.", 503);
      return failSignIn(proxy, res, request, busy);
    }
    proxy.log.info("consent asked", { client: request.clientId, user: user.id });
    res.set("Cache-Control", "no-store").redirect(303, `${endpoints.consent}?request=${id}`);
  };
}

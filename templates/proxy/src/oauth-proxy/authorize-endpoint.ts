import type { Request, Response } from "express";
import { entraEndpoints } from "../config.js";
import { failSignIn } from "./client-answers.js";
import { randomToken, sha256 } from "./crypto-helpers.js";
import { entraResource, entraScope, proxyEndpoints } from "./endpoints.js";
import { OAuthError, singleParams } from "./oauth-error.js";
import { isS256Challenge, newPkcePair } from "./pkce.js";
import type { OAuthProxy } from "./proxy-context.js";
import { checkRequestedScope, checkResource } from "./requested-scope.js";

/**
 * GET /authorize: checks the client's request, ties it to this browser (browser-binding.ts), then
 * sends the browser to Entra's /authorize as this server's app, with the proxy's own PKCE and state.
 * Until the client and its redirect URI are known to match exactly, errors are shown on the proxy's
 * page; after that too, unless the redirect URI is on the user's machine (client-answers.ts). No
 * code reaches the client before the user has allowed it (callback-endpoint.ts).
 */
export function authorizeEndpoint(proxy: OAuthProxy) {
  const { config } = proxy;
  const endpoints = proxyEndpoints(config);
  return async (req: Request, res: Response): Promise<void> => {
    const params = singleParams(req.query);
    const client = params.client_id ? await proxy.resolveClient(params.client_id) : undefined;
    if (!client) throw new OAuthError("invalid_client", "Unknown client_id.");
    const redirectUri = params.redirect_uri;
    if (!redirectUri || !client.redirect_uris.includes(redirectUri)) {
      throw new OAuthError("invalid_request", "redirect_uri is not one of the client's redirect URIs.");
    }
    const request = { clientId: client.client_id, redirectUri, clientState: params.state };
    let codeChallenge: string;
    try {
      codeChallenge = checkRequest(proxy, params);
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      return failSignIn(proxy, res, request, error);
    }

    const entraState = randomToken();
    const pkce = newPkcePair();
    const browser = proxy.binding.bind(req, res);
    const added = await proxy.state.add(
      "sign-in",
      entraState,
      { ...request, codeChallenge, entraVerifier: pkce.verifier, browser: sha256(browser) },
      client.client_id,
    );
    if (!added) {
      proxy.log.warn("sign-in refused: too many in progress", { client: client.client_id });
      const busy = new OAuthError(
        "temporarily_unavailable",
        "Too many sign-ins to this application are in progress on this server. Try again in a few minutes.",
        503,
      );
      return failSignIn(proxy, res, request, busy);
    }
    const url = new URL(entraEndpoints(config).authorizeUrl);
    const resource = entraResource(config);
    for (const [name, value] of Object.entries({
      client_id: config.clientId,
      response_type: "code",
      response_mode: "query",
      redirect_uri: endpoints.callback,
      scope: entraScope(config),
      state: entraState,
      code_challenge: pkce.challenge,
      code_challenge_method: "S256",
      ...(resource ? { resource } : {}),
    })) {
      url.searchParams.set(name, value);
    }
    proxy.log.info("sign-in started", { client: client.client_id });
    res.set("Cache-Control", "no-store").redirect(302, url.href);
  };
}

/** The checks made once the client and its redirect URI are known; returns the PKCE challenge. */
function checkRequest(proxy: OAuthProxy, params: Record<string, string | undefined>): string {
  if (params.state !== undefined && params.state.length > 2000) {
    throw new OAuthError("invalid_request", "state is longer than 2000 characters.");
  }
  if (params.response_type !== "code") {
    throw new OAuthError("unsupported_response_type", 'response_type must be "code".');
  }
  if (params.response_mode !== undefined && params.response_mode !== "query") {
    throw new OAuthError("invalid_request", 'response_mode must be "query".');
  }
  const challenge = params.code_challenge;
  if (params.code_challenge_method !== "S256" || !isS256Challenge(challenge)) {
    throw new OAuthError(
      "invalid_request",
      "PKCE is required: code_challenge with code_challenge_method S256.",
    );
  }
  checkRequestedScope(proxy.config, params.scope);
  checkResource(proxy.config, params.resource);
  return challenge;
}

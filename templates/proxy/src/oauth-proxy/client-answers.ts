import type { Response } from "express";
import { proxyEndpoints } from "./endpoints.js";
import { sendErrorPage } from "./error-page.js";
import type { OAuthError } from "./oauth-error.js";
import type { OAuthProxy } from "./proxy-context.js";
import type { ClientRequest } from "./proxy-store.js";
import { clientRedirect, isLoopbackRedirect } from "./redirect-uris.js";

/** Where the client waits for its answer, and the state it sent. */
export type ReplyTo = Pick<ClientRequest, "redirectUri" | "clientState">;

/**
 * Sends the browser back to the client's redirect URI with the authorization response, its `state`
 * and the proxy's `iss` (RFC 9207). 302 from a GET; 303 after the consent form's POST.
 */
export function answerClient(
  proxy: OAuthProxy,
  res: Response,
  request: ReplyTo,
  params: Record<string, string | undefined>,
  status: 302 | 303 = 302,
): void {
  const { issuer } = proxyEndpoints(proxy.config);
  res
    .set("Cache-Control", "no-store")
    .redirect(
      status,
      clientRedirect(request.redirectUri, { ...params, state: request.clientState, iss: issuer }),
    );
}

/**
 * An error (or a denial) the client should hear, when no person has yet chosen to trust it. Open
 * registration means an https redirect URI proves nothing about who receives it: redirecting errors
 * there would make the proxy an open redirector for anyone who registers one (RFC 9700 §4.11.2), so
 * the proxy shows them on its own page. Loopback redirect URIs (RFC 8252) keep the browser on the
 * user's own machine, where the waiting app needs the answer to stop waiting: those get it.
 */
export function failSignIn(
  proxy: OAuthProxy,
  res: Response,
  request: ReplyTo,
  error: OAuthError,
  status: 302 | 303 = 302,
): void {
  if (!isLoopbackRedirect(request.redirectUri)) {
    sendErrorPage(res, error);
    return;
  }
  answerClient(proxy, res, request, { error: error.error, error_description: error.description }, status);
}

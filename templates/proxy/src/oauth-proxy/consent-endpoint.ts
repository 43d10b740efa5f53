import type { Request, Response } from "express";
import { failSignIn } from "./client-answers.js";
import { consentPage } from "./consent-page.js";
import { hmac, safeEqual, sha256 } from "./crypto-helpers.js";
import { proxyEndpoints } from "./endpoints.js";
import { clientRequestOf, finishSignIn } from "./finish-sign-in.js";
import { sendPage } from "./html-page.js";
import { OAuthError, singleParams } from "./oauth-error.js";
import type { OAuthProxy } from "./proxy-context.js";
import type { ConsentRequest } from "./proxy-store.js";

/**
 * GET /oauth/consent shows the consent page of a sign-in back from Entra (nothing changes); POST
 * /oauth/consent takes the user's decision. Both only for the browser that started the sign-in (its
 * cookie); the POST also needs the form's CSRF token — an HMAC of the request and that cookie — and,
 * when the browser says where it comes from (Origin, Sec-Fetch-Site), this server's own page.
 * "Allow" is remembered for the user and the client; "deny" is not (the user is asked again).
 */
export function consentEndpoints(proxy: OAuthProxy) {
  const endpoints = proxyEndpoints(proxy.config);
  const csrfFor = (requestId: string, browser: string) =>
    hmac(proxy.keys.consentForm, `${requestId}.${browser}`);

  async function load(req: Request, requestId: string | undefined) {
    const record = requestId ? await proxy.state.get("consent", requestId) : undefined;
    if (!requestId || !record) {
      throw new OAuthError(
        "invalid_request",
        "This consent request is unknown, expired or already answered: start again from the application.",
      );
    }
    const browser = proxy.binding.valuesOf(req).find((value) => safeEqual(sha256(value), record.browser));
    if (!browser) {
      proxy.log.warn("consent refused: another browser", { client: record.clientId });
      throw new OAuthError(
        "invalid_request",
        "This consent request belongs to another browser: start again from the application, in this browser.",
      );
    }
    return { requestId, record, browser };
  }

  const show = async (req: Request, res: Response): Promise<void> => {
    const { requestId, record, browser } = await load(req, singleParams(req.query).request);
    const client = await proxy.resolveClient(record.clientId);
    if (!client) throw new OAuthError("invalid_client", "This application is no longer known here.");
    const form = { action: endpoints.consent, requestId, csrf: csrfFor(requestId, browser) };
    sendPage(res, 200, consentPage(proxy.config, client, record, form));
  };

  const decide = async (req: Request, res: Response): Promise<void> => {
    if (!fromOwnPage(req, endpoints.issuer)) {
      throw new OAuthError("access_denied", "The consent form was sent from another site.", 403);
    }
    const params = singleParams(req.body);
    const { requestId, browser } = await load(req, params.request);
    if (!params.csrf || !safeEqual(params.csrf, csrfFor(requestId, browser))) {
      throw new OAuthError("access_denied", "The consent form is not this server's.", 403);
    }
    if (params.decision !== "allow" && params.decision !== "deny") {
      throw new OAuthError("invalid_request", "decision must be allow or deny.");
    }
    // Taken once: a second POST of the same form (a double click, another instance) finds nothing.
    const taken = await proxy.state.take("consent", requestId);
    if (!taken) throw new OAuthError("invalid_request", "This consent request was already answered.");
    if (params.decision === "deny") return deny(taken, res);
    const client = await proxy.resolveClient(taken.clientId);
    await proxy.state.saveConsent({
      userId: taken.user.id,
      clientId: taken.clientId,
      clientName: client?.client_name,
      allowedAt: proxy.now(),
    });
    proxy.log.info("consent given", { client: taken.clientId, user: taken.user.id });
    await finishSignIn(proxy, res, clientRequestOf(taken), taken.user, taken.tokens, 303);
  };

  const deny = (taken: ConsentRequest, res: Response) => {
    proxy.log.info("consent refused", { client: taken.clientId, user: taken.user.id });
    const denied = new OAuthError(
      "access_denied",
      "You did not allow the application to sign you in. You can close this window.",
    );
    failSignIn(proxy, res, clientRequestOf(taken), denied, 303);
  };

  return { show, decide };
}

/**
 * False when the browser says the form comes from elsewhere: an Origin other than this server's (or
 * "null"), or Sec-Fetch-Site other than same-origin. Browsers that say neither rely on the cookie
 * (SameSite=Lax: not sent with another site's POST) and the CSRF token.
 */
function fromOwnPage(req: Request, origin: string): boolean {
  const sentOrigin = req.headers.origin;
  if (sentOrigin !== undefined && sentOrigin !== origin) return false;
  const site = req.headers["sec-fetch-site"];
  return site === undefined || site === "same-origin";
}

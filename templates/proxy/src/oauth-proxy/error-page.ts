import type { Response } from "express";
import { escapeHtml, sendPage } from "./html-page.js";
import { type OAuthError, setRetryAfter } from "./oauth-error.js";

/**
 * An error shown to the person at the browser, by the proxy itself: what goes wrong before the
 * client is known to be trusted is never redirected to the client (RFC 9700 §4.11.2).
 */
export function sendErrorPage(res: Response, error: OAuthError): void {
  setRetryAfter(res, error);
  sendPage(res, error.status, {
    title: "Sign-in cannot continue",
    body: [
      `<p>${escapeHtml(error.description)}</p>`,
      `<p>Error: <code>${escapeHtml(error.error)}</code></p>`,
      "<p>Go back to the application you were signing in to, and start again from there.</p>",
    ].join("\n"),
  });
}

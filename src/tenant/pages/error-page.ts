import type { Response } from "express";
import type { TenantContext } from "../context.js";
import { type AadstsError, aadstsBody } from "../errors/protocol-error.js";
import { html, sendPage } from "./html.js";

/**
 * Entra's error page: what /authorize shows when it must not redirect (unknown client, redirect URI
 * mismatch) and where a sign-in ends without a client to return to.
 */
export function sendErrorPage(ctx: TenantContext, res: Response, error: AadstsError): void {
  const body = aadstsBody(error, ctx.origin);
  sendPage(
    res,
    {
      title: "Sorry, but we're having trouble signing you in.",
      step: "error",
      body: html`<p class="error" role="alert" data-aadsts="${error.code}" data-error="${error.error}">${error.description}</p>
<dl>
<dt>Request Id</dt><dd>${body.trace_id}</dd>
<dt>Correlation Id</dt><dd>${body.correlation_id}</dd>
<dt>Timestamp</dt><dd>${body.timestamp}</dd>
</dl>`,
    },
    error.status,
  );
}

/** A page for requests the tenant cannot place at all (an expired sign-in, a form without its id). */
export function sendExpiredPage(res: Response): void {
  sendPage(
    res,
    {
      title: "This sign-in request has expired",
      step: "error",
      body: html`<p class="error" role="alert">The sign-in request is unknown or too old. Go back to the application and start signing in again.</p>`,
    },
    400,
  );
}

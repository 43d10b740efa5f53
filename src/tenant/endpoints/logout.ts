import express, { type Request, type Response, type Router } from "express";
import { decodeJwt } from "jose";
import type { TenantContext } from "../context.js";
import { clientByAppId } from "../directory/lookups.js";
import { html, sendPage } from "../pages/html.js";
import { matchRedirectUri } from "../sign-in/redirect-uri.js";
import { endSession } from "../sign-in/sessions.js";
import { flatParams } from "./authorize.js";
import { resolveTenantSegment } from "./tenant-segment.js";

// https://learn.microsoft.com/en-us/entra/identity-platform/v2-protocols-oidc#send-a-sign-out-request
/**
 * GET|POST /{tenant}/oauth2/v2.0/logout (and v1's /oauth2/logout): ends the browser's session, then
 * sends the browser to `post_logout_redirect_uri` (with `state`) when it is a redirect URI of the
 * client named by `client_id` or by the `id_token_hint`'s audience; otherwise shows the signed-out
 * page. Entra shows that page too for an unregistered URI (the docs say it must be registered).
 */
export function logoutRoutes(router: Router, ctx: TenantContext): void {
  const answer = (req: Request, res: Response, params: Record<string, string | undefined>) => {
    resolveTenantSegment(ctx.store.state, String(req.params.tenant));
    endSession(ctx, req, res);
    const target = logoutTarget(ctx, params);
    if (target) {
      const url = new URL(target);
      if (params.state) url.searchParams.set("state", params.state);
      res.set("Cache-Control", "no-store").redirect(302, url.toString());
      return;
    }
    sendPage(res, {
      title: "You signed out of your account",
      step: "signed-out",
      body: html`<p>It's a good idea to close all browser windows.</p>`,
    });
  };
  for (const path of ["/:tenant/oauth2/v2.0/logout", "/:tenant/oauth2/logout"]) {
    router.get(path, (req, res) => answer(req, res, flatParams(req.query)));
    router.post(path, express.urlencoded({ extended: false, limit: "16kb" }), (req, res) =>
      answer(req, res, flatParams(req.body)),
    );
  }
}

function logoutTarget(ctx: TenantContext, params: Record<string, string | undefined>): string | undefined {
  const requested = params.post_logout_redirect_uri;
  if (!requested) return undefined;
  const clientId = params.client_id ?? hintedAudience(params.id_token_hint);
  const client = clientId ? clientByAppId(ctx.store.state, clientId) : undefined;
  return client && matchRedirectUri(client, requested) ? requested : undefined;
}

function hintedAudience(idTokenHint: string | undefined): string | undefined {
  if (!idTokenHint) return undefined;
  try {
    const aud = decodeJwt(idTokenHint).aud;
    return typeof aud === "string" ? aud : undefined;
  } catch {
    return undefined;
  }
}

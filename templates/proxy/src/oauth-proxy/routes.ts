import express, { type ErrorRequestHandler } from "express";
import { rateLimit } from "express-rate-limit";
import { authorizationServerMetadata } from "./authorization-server-metadata.js";
import { authorizeEndpoint } from "./authorize-endpoint.js";
import { callbackEndpoint } from "./callback-endpoint.js";
import { consentEndpoints } from "./consent-endpoint.js";
import { sendErrorPage } from "./error-page.js";
import { OAuthError, oauthHandler, sendOAuthError } from "./oauth-error.js";
import type { OAuthProxy } from "./proxy-context.js";
import { registerEndpoint } from "./register-endpoint.js";
import { tokenEndpoint } from "./token-endpoint.js";

const limit = (perMinute: number) =>
  rateLimit({ windowMs: 60_000, limit: perMinute, standardHeaders: "draft-8", legacyHeaders: false });

/**
 * The OAuth authorization server MCP clients talk to: metadata, registration, authorization,
 * Entra's callback, the consent page and the token endpoint. (The MCP endpoint itself is unchanged: it validates
 * Entra's access tokens.)
 */
export function oauthProxyRoutes(app: express.Express, proxy: OAuthProxy): void {
  const metadata = authorizationServerMetadata(proxy.config);
  app.get("/.well-known/oauth-authorization-server", (_req, res) => {
    res.set("Cache-Control", "public, max-age=3600").json(metadata);
  });
  const handle = (endpoint: Parameters<typeof oauthHandler>[1]) => oauthHandler(proxy.log, endpoint);
  // What a browser visits answers errors with a page for its person, never a redirect.
  const page = (endpoint: Parameters<typeof oauthHandler>[1]) =>
    oauthHandler(proxy.log, endpoint, sendErrorPage);
  app.post("/register", limit(30), express.json({ limit: "16kb" }), handle(registerEndpoint(proxy)));
  app.get("/authorize", limit(60), page(authorizeEndpoint(proxy)));
  app.get("/oauth/callback", limit(60), page(callbackEndpoint(proxy)));
  const consent = consentEndpoints(proxy);
  app.get("/oauth/consent", limit(60), page(consent.show));
  app.post(
    "/oauth/consent",
    limit(60),
    express.urlencoded({ extended: false, limit: "4kb", parameterLimit: 10 }),
    page(consent.decide),
  );
  app.post(
    "/token",
    limit(120),
    express.urlencoded({ extended: false, limit: "16kb", parameterLimit: 50 }),
    handle(tokenEndpoint(proxy)),
  );
  // Bodies that cannot be parsed (malformed JSON, too large) get OAuth errors here, not JSON-RPC ones.
  app.use(["/register", "/token", "/oauth/consent"], ((error, req, res, next) => {
    const status =
      typeof error?.status === "number" && error.status >= 400 && error.status < 500 ? error.status : 0;
    if (!status || res.headersSent) return next(error);
    const code = req.baseUrl === "/register" ? "invalid_client_metadata" : "invalid_request";
    const answer = req.baseUrl === "/oauth/consent" ? sendErrorPage : sendOAuthError;
    answer(
      res,
      new OAuthError(
        code,
        status === 413 ? "The request body is too large." : "The request body is malformed.",
        status,
      ),
    );
  }) satisfies ErrorRequestHandler);
}

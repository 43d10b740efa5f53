import express from "express";
import type { TenantContext } from "../context.js";
import { adminRoutes } from "../endpoints/admin/index.js";
import { adminConsentRoutes } from "../endpoints/admin-consent.js";
import { authorizeRoutes } from "../endpoints/authorize.js";
import { consentRoutes } from "../endpoints/consent.js";
import { deviceCodeRoutes } from "../endpoints/device-code.js";
import { deviceLoginRoutes } from "../endpoints/device-login.js";
import { discoveryRoutes } from "../endpoints/discovery.js";
import { logoutRoutes } from "../endpoints/logout.js";
import { managedIdentityRoutes } from "../endpoints/managed-identity.js";
import { signInRoutes } from "../endpoints/sign-in.js";
import { userinfoRoutes } from "../endpoints/userinfo.js";
import { v1EndpointRoutes } from "../endpoints/v1-endpoints.js";
import { answerErrors } from "../errors/error-answer.js";
import { OAuthError } from "../errors/oauth-error.js";
import { graphRoutes } from "../graph/index.js";
import { requestLogger } from "./request-log.js";

/** The dev tenant's HTTP application: identity endpoints, and the error handling they share. */
export function createTenantApp(ctx: TenantContext, adminToken: string): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.use(requestLogger(ctx.requestLog));
  app.get("/health", (_req, res) => {
    res.json({ status: "ok", tenantId: ctx.store.state.tenant.id });
  });
  adminRoutes(app, ctx, adminToken);
  graphRoutes(app, ctx);
  const router = express.Router({ caseSensitive: false });
  discoveryRoutes(router, ctx);
  v1EndpointRoutes(router, ctx);
  authorizeRoutes(router, ctx);
  adminConsentRoutes(router, ctx);
  signInRoutes(router, ctx);
  consentRoutes(router, ctx);
  deviceCodeRoutes(router, ctx);
  deviceLoginRoutes(router, ctx);
  managedIdentityRoutes(router, ctx, adminToken);
  logoutRoutes(router, ctx);
  userinfoRoutes(router, ctx);
  app.use(router);
  app.use((_req, _res, next) => {
    next(new OAuthError(404, "not_found", "No such endpoint on the dev tenant."));
  });
  app.use(
    answerErrors((req) => ({
      origin: ctx.origin,
      clientRequestId:
        (req.body as Record<string, unknown> | undefined)?.["client-request-id"] ??
        req.query["client-request-id"],
    })),
  );
  return app;
}

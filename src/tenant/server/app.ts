import express, { type ErrorRequestHandler } from "express";
import type { TenantContext } from "../context.js";
import { adminRoutes } from "../endpoints/admin/index.js";
import { authorizeRoutes } from "../endpoints/authorize.js";
import { consentRoutes } from "../endpoints/consent.js";
import { deviceCodeRoutes } from "../endpoints/device-code.js";
import { deviceLoginRoutes } from "../endpoints/device-login.js";
import { discoveryRoutes } from "../endpoints/discovery.js";
import { managedIdentityRoutes } from "../endpoints/managed-identity.js";
import { signInRoutes } from "../endpoints/sign-in.js";
import { tokenRoutes } from "../endpoints/token.js";
import { errorAnswer } from "../errors/error-answer.js";
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
  tokenRoutes(app, ctx);
  const router = express.Router({ caseSensitive: false });
  discoveryRoutes(router, ctx);
  authorizeRoutes(router, ctx);
  signInRoutes(router, ctx);
  consentRoutes(router, ctx);
  deviceCodeRoutes(router, ctx);
  deviceLoginRoutes(router, ctx);
  managedIdentityRoutes(router, ctx, adminToken);
  app.use(router);
  app.use((_req, res) => {
    res.status(404).json({ error: "not_found", error_description: "No such endpoint on the dev tenant." });
  });
  app.use(errorHandler(ctx));
  return app;
}

function errorHandler(ctx: TenantContext): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const correlationId =
      (req.body as Record<string, unknown> | undefined)?.["client-request-id"] ??
      req.query["client-request-id"];
    const answer = errorAnswer(ctx, error, correlationId);
    res.status(answer.status).set(answer.headers).json(answer.body);
  };
}

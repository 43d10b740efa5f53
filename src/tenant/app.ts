import express, { type ErrorRequestHandler } from "express";
import type { TenantContext } from "./context.js";
import { errorAnswer } from "./error-answer.js";
import { graphRoutes } from "./graph/index.js";
import { requestLogger } from "./request-log.js";
import { adminRoutes } from "./routes/admin/index.js";
import { authorizeRoutes } from "./routes/authorize.js";
import { consentRoutes } from "./routes/consent.js";
import { deviceCodeRoutes } from "./routes/device-code.js";
import { deviceLoginRoutes } from "./routes/device-login.js";
import { discoveryRoutes } from "./routes/discovery.js";
import { logoutRoutes } from "./routes/logout.js";
import { signInRoutes } from "./routes/sign-in.js";
import { tokenRoutes } from "./routes/token.js";
import { userinfoRoutes } from "./routes/userinfo.js";
import { v1EndpointRoutes } from "./routes/v1-endpoints.js";

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
  tokenRoutes(router, ctx);
  authorizeRoutes(router, ctx);
  signInRoutes(router, ctx);
  consentRoutes(router, ctx);
  deviceCodeRoutes(router, ctx);
  deviceLoginRoutes(router, ctx);
  logoutRoutes(router, ctx);
  userinfoRoutes(router, ctx);
  app.use(router);
  app.use((_req, res) => {
    res.status(404).json({ error: "not_found", error_description: "No such endpoint on the dev tenant." });
  });
  app.use(errorHandler(ctx));
  return app;
}

function errorHandler(ctx: TenantContext): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const correlationId = (req.body as Record<string, unknown> | undefined)?.["client-request-id"];
    const answer = errorAnswer(ctx, error, correlationId);
    res.status(answer.status).set(answer.headers).json(answer.body);
  };
}

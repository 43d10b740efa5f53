import express, { type ErrorRequestHandler } from "express";
import type { TenantContext } from "./context.js";
import { graphRoutes } from "./graph/index.js";
import { AadstsError, aadstsBody } from "./protocol-error.js";
import { requestLogger } from "./request-log.js";
import { adminRoutes } from "./routes/admin/index.js";
import { authorizeRoutes } from "./routes/authorize.js";
import { consentRoutes } from "./routes/consent.js";
import { deviceCodeRoutes } from "./routes/device-code.js";
import { deviceLoginRoutes } from "./routes/device-login.js";
import { discoveryRoutes } from "./routes/discovery.js";
import { signInRoutes } from "./routes/sign-in.js";
import { tokenRoutes } from "./routes/token.js";

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
  tokenRoutes(router, ctx);
  authorizeRoutes(router, ctx);
  signInRoutes(router, ctx);
  consentRoutes(router, ctx);
  deviceCodeRoutes(router, ctx);
  deviceLoginRoutes(router, ctx);
  app.use(router);
  app.use((_req, res) => {
    res.status(404).json({ error: "not_found", error_description: "No such endpoint on the dev tenant." });
  });
  app.use(errorHandler(ctx));
  return app;
}

function errorHandler(ctx: TenantContext): ErrorRequestHandler {
  return (error, req, res, _next) => {
    if (error instanceof AadstsError) {
      const correlationId = (req.body as Record<string, string> | undefined)?.["client-request-id"];
      res
        .status(error.status)
        .set("Cache-Control", "no-store")
        .json(aadstsBody(error, ctx.origin, correlationId));
      return;
    }
    const status = typeof error?.status === "number" && error.status < 500 ? error.status : 500;
    if (status === 500) process.stderr.write(`dev tenant: ${error?.stack ?? error}\n`);
    // Server errors are masked: the body never carries internal details.
    res.status(status).json({
      error: status === 500 ? "server_error" : "invalid_request",
      error_description:
        status === 500 ? "The dev tenant failed to handle the request." : "Malformed request.",
    });
  };
}

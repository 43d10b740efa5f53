import { timingSafeEqual } from "node:crypto";
import express, { type RequestHandler } from "express";
import type { TenantContext } from "../../context.js";
import { faultRoutes } from "./faults.js";
import { githubActionsTokenRoutes } from "./github-actions-token.js";
import { keyRoutes } from "./keys.js";
import { managedIdentityAdminRoutes } from "./managed-identities.js";
import { requestLogRoutes } from "./requests.js";
import { settingsRoutes } from "./settings.js";
import { signInTicketRoutes } from "./sign-in-tickets.js";
import { statusRoutes } from "./status.js";
import { tokenRoutes } from "./tokens.js";
import { userRoutes } from "./users.js";

/**
 * The admin API under /_admin: tests and mcp-entra's own commands change the running tenant through
 * it. Every route needs the admin token that the tenant wrote to its folder (0600).
 */
export function adminRoutes(app: express.Express, ctx: TenantContext, adminToken: string): void {
  const router = express.Router();
  router.use(requireAdminToken(adminToken), express.json({ limit: "1mb" }));
  settingsRoutes(router, ctx);
  signInTicketRoutes(router, ctx);
  githubActionsTokenRoutes(router, ctx);
  faultRoutes(router, ctx);
  requestLogRoutes(router, ctx);
  statusRoutes(router, ctx);
  userRoutes(router, ctx);
  keyRoutes(router, ctx);
  tokenRoutes(router, ctx);
  managedIdentityAdminRoutes(router, ctx, adminToken);
  app.use("/_admin", router);
}

function requireAdminToken(adminToken: string): RequestHandler {
  const expected = Buffer.from(`Bearer ${adminToken}`);
  return (req, res, next) => {
    const presented = Buffer.from(req.headers.authorization ?? "");
    if (presented.length === expected.length && timingSafeEqual(presented, expected)) {
      next();
      return;
    }
    res
      .status(401)
      .json({ error: "unauthorized", message: "The admin API needs the dev tenant's admin token." });
  };
}

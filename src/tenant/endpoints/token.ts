import express, { type Router } from "express";
import type { TenantContext } from "../context.js";
import { TOKEN_RESPONSE_HEADERS, tokenEndpoint } from "./token-endpoint.js";

/**
 * POST /{tenant}/oauth2/v2.0/token through express: the requests the HTTPS server's fast path
 * (token-fast-path.ts) leaves to the app, such as compressed or ISO-8859-1 bodies.
 */
export function tokenRoutes(router: Router, ctx: TenantContext): void {
  router.post(
    "/:tenant/oauth2/v2.0/token",
    express.urlencoded({ extended: false, limit: "256kb" }),
    async (req, res) => {
      const params = (req.body ?? {}) as Record<string, string | undefined>;
      const response = await tokenEndpoint(ctx, req.params.tenant, params, req.headers.authorization);
      res.set(TOKEN_RESPONSE_HEADERS).json(response);
    },
  );
}

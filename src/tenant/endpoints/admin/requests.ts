import type { Router } from "express";
import type { TenantContext } from "../../context.js";
import type { RequestLogFilter } from "../../server/request-log.js";

/**
 * /_admin/requests: the request log (method, path, status, duration; never bodies, secrets or
 * tokens). `?kind=graph|identity` and `?writes=true` filter it; DELETE clears it.
 */
export function requestLogRoutes(router: Router, ctx: TenantContext): void {
  router.get("/requests", (req, res) => {
    const filter: RequestLogFilter = {};
    if (req.query.kind === "graph" || req.query.kind === "identity") filter.kind = req.query.kind;
    if (req.query.writes === "true") filter.writesOnly = true;
    res.json({ value: ctx.requestLog.entries(filter) });
  });
  router.delete("/requests", (_req, res) => {
    ctx.requestLog.clear();
    res.status(204).end();
  });
}

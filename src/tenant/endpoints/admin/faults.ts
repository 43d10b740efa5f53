import type { Router } from "express";
import { McpEntraError } from "../../../core/errors.js";
import type { TenantContext } from "../../context.js";
import { type FaultConfig, faultConfig } from "../../server/faults.js";

/**
 * /_admin/faults: Graph fault injection at runtime. GET shows it; PUT replaces it with a config
 * object or `{"spec": "429:0.2,replication:3000,seed:42"}` (and restarts the seeded PRNG); DELETE
 * switches every fault off.
 */
export function faultRoutes(router: Router, ctx: TenantContext): void {
  router.get("/faults", (_req, res) => {
    res.json(ctx.faults.config);
  });
  router.put("/faults", (req, res) => {
    const body = (req.body ?? {}) as Partial<FaultConfig> & { spec?: string };
    try {
      ctx.faults.configure(faultConfig(typeof body.spec === "string" ? body.spec : body));
    } catch (error) {
      if (!(error instanceof McpEntraError)) throw error;
      res.status(400).json({ error: "invalid_faults", message: error.message });
      return;
    }
    res.json(ctx.faults.config);
  });
  router.delete("/faults", (_req, res) => {
    ctx.faults.configure(faultConfig(undefined));
    res.json(ctx.faults.config);
  });
}

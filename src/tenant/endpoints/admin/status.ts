import type { Router } from "express";
import type { TenantContext } from "../../context.js";
import { describeSigningKeys } from "../../tokens/key-rotation.js";
import { describeSettings } from "./settings.js";

/** GET /_admin/status: what `tenant status` shows about the running tenant. */
export function statusRoutes(router: Router, ctx: TenantContext): void {
  router.get("/status", (_req, res) => {
    const state = ctx.store.state;
    res.json({
      pid: process.pid,
      tenantId: state.tenant.id,
      domain: state.tenant.domain,
      ...describeSettings(ctx),
      users: state.users.length,
      applications: state.applications.length,
      signingKeys: describeSigningKeys(state),
    });
  });
}

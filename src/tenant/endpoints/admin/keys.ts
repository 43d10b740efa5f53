import type { Router } from "express";
import type { TenantContext } from "../../context.js";
import {
  DEFAULT_KEY_GRACE_HOURS,
  describeSigningKeys,
  rotateSigningKeys,
} from "../../tokens/key-rotation.js";

/** POST /_admin/keys/rotate {graceHours?}: a new active signing key; the old one stays published. */
export function keyRoutes(router: Router, ctx: TenantContext): void {
  router.get("/keys", (_req, res) => {
    res.json({ keys: describeSigningKeys(ctx.store.state) });
  });
  router.post("/keys/rotate", async (req, res) => {
    const graceHours =
      (req.body as { graceHours?: unknown } | undefined)?.graceHours ?? DEFAULT_KEY_GRACE_HOURS;
    if (typeof graceHours !== "number" || !Number.isFinite(graceHours) || graceHours < 0) {
      res
        .status(400)
        .json({ error: "invalid_grace", message: "graceHours must be a number of hours, 0 or more." });
      return;
    }
    const now = ctx.clock.now();
    const active = await ctx.store.commit((state) => rotateSigningKeys(state, now, graceHours * 3600 * 1000));
    res.json({ active: active.kid, keys: describeSigningKeys(ctx.store.state) });
  });
}

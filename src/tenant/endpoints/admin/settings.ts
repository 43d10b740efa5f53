import type { Router } from "express";
import type { TenantContext } from "../../context.js";
import { resolveAutoApproveUser } from "../../sign-in/auto-approve.js";

/** GET/PATCH /_admin/settings: switches such as auto-approve. */
export function settingsRoutes(router: Router, ctx: TenantContext): void {
  router.get("/settings", (_req, res) => {
    res.json(describeSettings(ctx));
  });
  router.patch("/settings", async (req, res) => {
    const body = (req.body ?? {}) as { autoApprove?: string | true | null };
    if ("autoApprove" in body) {
      // A user id, UPN or alias; true for the default user; null (or false) switches it off.
      const wanted = body.autoApprove;
      const user = wanted ? resolveAutoApproveUser(ctx.store.state, wanted) : undefined;
      if (wanted && !user) {
        res.status(400).json({ error: "unknown_user", message: `No user ${wanted} in the dev tenant.` });
        return;
      }
      await ctx.store.commit((state) => {
        state.settings.autoApproveUserId = user?.id ?? null;
      });
    }
    res.json(describeSettings(ctx));
  });
}

export function describeSettings(ctx: TenantContext) {
  const state = ctx.store.state;
  const user = state.users.find((candidate) => candidate.id === state.settings.autoApproveUserId);
  return { autoApprove: user ? user.userPrincipalName : null };
}

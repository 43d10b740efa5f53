import type { Router } from "express";
import type { TenantContext } from "../../context.js";
import { resolveAutoApproveUser } from "../../sign-in/auto-approve.js";

/** GET/PATCH /_admin/settings: switches such as auto-approve. */
export function settingsRoutes(router: Router, ctx: TenantContext): void {
  router.get("/settings", (_req, res) => {
    res.json(describeSettings(ctx));
  });
  router.patch("/settings", async (req, res) => {
    const body = (req.body ?? {}) as {
      autoApprove?: string | true | null;
      userConsent?: unknown;
      adminConsentWorkflow?: unknown;
    };
    if ("userConsent" in body && body.userConsent !== "allow" && body.userConsent !== "none") {
      res.status(400).json({ error: "invalid_setting", message: 'userConsent must be "allow" or "none".' });
      return;
    }
    if ("adminConsentWorkflow" in body && typeof body.adminConsentWorkflow !== "boolean") {
      res
        .status(400)
        .json({ error: "invalid_setting", message: "adminConsentWorkflow must be true or false." });
      return;
    }
    if ("userConsent" in body || "adminConsentWorkflow" in body) {
      await ctx.store.commit((state) => {
        if (body.userConsent === "allow" || body.userConsent === "none")
          state.settings.userConsent = body.userConsent;
        if (typeof body.adminConsentWorkflow === "boolean")
          state.settings.adminConsentWorkflow = body.adminConsentWorkflow;
      });
    }
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
  return {
    autoApprove: user ? user.userPrincipalName : null,
    userConsent: state.settings.userConsent ?? "allow",
    adminConsentWorkflow: state.settings.adminConsentWorkflow ?? false,
  };
}

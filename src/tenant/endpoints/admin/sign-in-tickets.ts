import type { Router } from "express";
import type { TenantContext } from "../../context.js";
import { userByIdOrUpn } from "../../directory/lookups.js";
import { newSignInTicket } from "../../sign-in/sign-in-tickets.js";

/** POST /_admin/sign-in-tickets {user}: a one-time ticket that approves one device code as that user. */
export function signInTicketRoutes(router: Router, ctx: TenantContext): void {
  router.post("/sign-in-tickets", (req, res) => {
    const wanted = String((req.body as { user?: unknown } | undefined)?.user ?? "");
    const user = wanted ? userByIdOrUpn(ctx.store.state, wanted) : undefined;
    if (!user?.accountEnabled) {
      res
        .status(400)
        .json({ error: "unknown_user", message: `No enabled user ${wanted} in the dev tenant.` });
      return;
    }
    res.json(newSignInTicket(ctx, user));
  });
}

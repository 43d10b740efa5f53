import express, { type Router } from "express";
import type { TenantContext } from "../context.js";
import { isAdministrator } from "../directory/lookups.js";
import { AadstsError } from "../errors/protocol-error.js";
import { sendExpiredPage } from "../pages/error-page.js";
import { acceptConsent, nextStep } from "../sign-in/flow-step.js";
import { answer, fail } from "../sign-in/sign-in-flow.js";
import { findTransaction } from "../sign-in/transactions.js";
import { flatParams } from "./authorize.js";

/** POST /consent: Accept (optionally for the organization), Cancel, or return without admin approval. */
export function consentRoutes(router: Router, ctx: TenantContext): void {
  router.post("/consent", express.urlencoded({ extended: false, limit: "16kb" }), async (req, res) => {
    const form = flatParams(req.body);
    const tx = findTransaction(ctx, form.tx);
    if (!tx?.userId) {
      sendExpiredPage(res);
      return;
    }
    if (form.action === "accept") {
      const forOrganization = form.organization === "yes" && isAdministrator(ctx.store.state, tx.userId);
      await answer(ctx, tx, res, await acceptConsent(ctx, tx, forOrganization));
      return;
    }
    if (form.action === "return") {
      const step = await nextStep(ctx, tx);
      if (step.kind === "admin-approval") fail(ctx, tx, res, step.error);
      else await answer(ctx, tx, res, step);
      return;
    }
    const declined = tx.origin.kind === "device" ? { error: "authorization_declined" } : {};
    fail(ctx, tx, res, new AadstsError(65004, {}, declined));
  });
}

import express, { type Router } from "express";
import type { TenantContext } from "../context.js";
import { userById, userByIdOrUpn } from "../directory/lookups.js";
import { AadstsError } from "../errors/protocol-error.js";
import { sendExpiredPage } from "../pages/error-page.js";
import { verifyPassword } from "../secrets/passwords.js";
import { startSession } from "../sign-in/sessions.js";
import { continueFlow, fail, showSignIn } from "../sign-in/sign-in-flow.js";
import { findTransaction } from "../sign-in/transactions.js";
import { flatParams } from "./authorize.js";

/** POST /login: the sign-in page's forms (a chosen test user, or user name + password). */
export function signInRoutes(router: Router, ctx: TenantContext): void {
  router.post("/login", express.urlencoded({ extended: false, limit: "16kb" }), async (req, res) => {
    const form = flatParams(req.body);
    const tx = findTransaction(ctx, form.tx);
    if (!tx) {
      sendExpiredPage(res);
      return;
    }
    if (form.action === "cancel") {
      const declined = tx.origin.kind === "device" ? { error: "authorization_declined" } : {};
      fail(ctx, tx, res, new AadstsError(65004, {}, declined));
      return;
    }
    const state = ctx.store.state;
    let user = form.user ? userById(state, form.user) : undefined;
    if (!form.user) {
      const username = (form.username ?? "").trim();
      const candidate = username ? userByIdOrUpn(state, username) : undefined;
      const hash = candidate && state.userPasswordHashes[candidate.id];
      if (candidate && hash && verifyPassword(form.password ?? "", hash)) user = candidate;
      if (!user) {
        showSignIn(ctx, tx, res, { username, error: new AadstsError(50126) });
        return;
      }
    }
    if (!user?.accountEnabled) {
      showSignIn(ctx, tx, res, { error: new AadstsError(50126) });
      return;
    }
    const session = startSession(ctx, res, user.id);
    Object.assign(tx, { userId: user.id, authTime: session.authTime, sessionState: session.sessionState });
    await continueFlow(ctx, tx, res);
  });
}

import express, { type Request, type Response, type Router } from "express";
import type { TenantContext } from "../context.js";
import { AadstsError } from "../errors/protocol-error.js";
import { sendErrorPage } from "../pages/error-page.js";
import { validateAuthorizeRequest, validateTarget } from "../sign-in/authorize-request.js";
import { redirectError } from "../sign-in/authorize-response.js";
import { autoApproveUser } from "../sign-in/auto-approve.js";
import { currentSession, startSession } from "../sign-in/sessions.js";
import { continueFlow, fail } from "../sign-in/sign-in-flow.js";
import { newTransaction } from "../sign-in/transactions.js";
import { resolveTenantSegment } from "./tenant-segment.js";

/** Request parameters from the query (GET) or the form body (POST); repeated names keep the first. */
export function flatParams(source: unknown): Record<string, string | undefined> {
  const params: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries((source ?? {}) as Record<string, unknown>)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === "string") params[name] = first;
  }
  return params;
}

/** GET|POST /{tenant}/oauth2/v2.0/authorize: the start of every interactive sign-in. */
export function authorizeRoutes(router: Router, ctx: TenantContext): void {
  const path = "/:tenant/oauth2/v2.0/authorize";
  router.get(path, (req, res) => authorize(ctx, req, res, flatParams(req.query)));
  router.post(path, express.urlencoded({ extended: false, limit: "64kb" }), (req, res) =>
    authorize(ctx, req, res, flatParams(req.body)),
  );
}

async function authorize(
  ctx: TenantContext,
  req: Request,
  res: Response,
  params: Record<string, string | undefined>,
): Promise<void> {
  let validated: ReturnType<typeof validateTarget>;
  try {
    resolveTenantSegment(ctx.store.state, String(req.params.tenant));
    validated = validateTarget(ctx, params);
  } catch (error) {
    if (!(error instanceof AadstsError)) throw error;
    sendErrorPage(ctx, res, error);
    return;
  }
  let request: ReturnType<typeof validateAuthorizeRequest>;
  try {
    request = validateAuthorizeRequest(ctx, params, validated);
  } catch (error) {
    if (!(error instanceof AadstsError)) throw error;
    redirectError(ctx, res, validated.target, error);
    return;
  }
  const tx = newTransaction(ctx, {
    clientId: request.clientId,
    scope: request.scope,
    origin: { kind: "authorize", request },
    loginHint: request.loginHint,
    consentPending: request.prompt === "consent",
  });
  const auto = autoApproveUser(ctx, request.loginHint);
  if (auto) {
    const session = startSession(ctx, res, auto.id);
    Object.assign(tx, {
      auto: true,
      userId: auto.id,
      authTime: session.authTime,
      sessionState: session.sessionState,
    });
  } else {
    const current = currentSession(ctx, req);
    const hint = request.loginHint?.toLowerCase();
    const reuse =
      current &&
      request.prompt !== "login" &&
      request.prompt !== "select_account" &&
      (!hint || hint === current.user.userPrincipalName || hint === current.user.id);
    if (reuse) {
      Object.assign(tx, {
        userId: current.user.id,
        authTime: current.session.authTime,
        sessionState: current.session.sessionState,
      });
    } else if (request.prompt === "none") {
      fail(ctx, tx, res, new AadstsError(50058));
      return;
    }
  }
  await continueFlow(ctx, tx, res);
}

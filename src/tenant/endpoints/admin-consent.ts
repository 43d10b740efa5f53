import type { Request, Response, Router } from "express";
import type { TenantContext } from "../context.js";
import { resolveScopeSets } from "../directory/scopes.js";
import { AadstsError } from "../errors/protocol-error.js";
import { sendErrorPage } from "../pages/error-page.js";
import { validateTarget } from "../sign-in/authorize-request.js";
import { redirectError } from "../sign-in/authorize-response.js";
import { currentSession } from "../sign-in/sessions.js";
import type { AuthorizeRequest } from "../sign-in/short-lived-records.js";
import { continueFlow } from "../sign-in/sign-in-flow.js";
import { newTransaction } from "../sign-in/transactions.js";
import { flatParams } from "./authorize.js";
import { resolveTenantSegment } from "./tenant-segment.js";

// https://learn.microsoft.com/en-us/entra/identity-platform/v2-admin-consent
/**
 * GET /{tenant}/adminconsent (the registration's static permissions) and /{tenant}/v2.0/adminconsent
 * (the resources its `scope` names): an administrator signs in and consents for the organization,
 * then the browser goes back to the client's redirect URI with `admin_consent=True`, `tenant` and
 * `state`. Someone who is not an administrator is sent back with access_denied (AADSTS90094).
 */
export function adminConsentRoutes(router: Router, ctx: TenantContext): void {
  router.get("/:tenant/adminconsent", (req, res) => start(ctx, req, res, "v1"));
  router.get("/:tenant/v2.0/adminconsent", (req, res) => start(ctx, req, res, "v2"));
}

async function start(ctx: TenantContext, req: Request, res: Response, version: "v1" | "v2"): Promise<void> {
  const params = flatParams(req.query);
  let validated: ReturnType<typeof validateTarget>;
  try {
    resolveTenantSegment(ctx.store.state, String(req.params.tenant));
    validated = validateTarget(ctx, { ...params, response_mode: "query" });
  } catch (error) {
    if (!(error instanceof AadstsError)) throw error;
    sendErrorPage(ctx, res, error);
    return;
  }
  const { client, target, platform } = validated;
  let resourceAppIds: string[] | undefined;
  if (version === "v2") {
    try {
      if (!params.scope) throw new AadstsError(900144, { parameter: "scope" });
      resourceAppIds = resolveScopeSets(ctx.store.state, params.scope, client.displayName).map(
        (request) => request.resource.appId,
      );
    } catch (error) {
      if (!(error instanceof AadstsError)) throw error;
      redirectError(ctx, res, target, error);
      return;
    }
  }
  const request: AuthorizeRequest = {
    ...target,
    clientId: client.appId,
    platform,
    scope: params.scope ?? "",
    clientInfo: false,
    adminConsent: { version, resourceAppIds },
  };
  const tx = newTransaction(ctx, {
    clientId: client.appId,
    scope: "",
    origin: { kind: "authorize", request },
  });
  const current = currentSession(ctx, req);
  if (current) {
    Object.assign(tx, {
      userId: current.user.id,
      authTime: current.session.authTime,
      sessionState: current.session.sessionState,
    });
  }
  await continueFlow(ctx, tx, res);
}

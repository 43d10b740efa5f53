import express, { type Router } from "express";
import { lookupClient } from "../clients/client-auth.js";
import type { TenantContext } from "../context.js";
import { checkResourceParameter, resolveScopes } from "../directory/scopes.js";
import { AadstsError } from "../errors/protocol-error.js";
import { autoApproveUser } from "../sign-in/auto-approve.js";
import { newDeviceAuthorization } from "../sign-in/device-authorizations.js";
import { nextStep } from "../sign-in/flow-step.js";
import { settleDevice } from "../sign-in/sign-in-flow.js";
import { redeemSignInTicket } from "../sign-in/sign-in-tickets.js";
import { endTransaction, newTransaction } from "../sign-in/transactions.js";
import { resolveTenantSegment } from "./tenant-segment.js";

/**
 * POST /{tenant}/oauth2/v2.0/devicecode: starts a device code flow for a client that allows public
 * client flows. In auto-approve mode, or with a valid `sign_in_ticket`, the code is approved at once.
 */
export function deviceCodeRoutes(router: Router, ctx: TenantContext): void {
  router.post(
    "/:tenant/oauth2/v2.0/devicecode",
    express.urlencoded({ extended: false, limit: "64kb" }),
    async (req, res) => {
      resolveTenantSegment(ctx.store.state, req.params.tenant);
      const params = (req.body ?? {}) as Record<string, string | undefined>;
      const clientId = params.client_id?.trim();
      if (!clientId) throw new AadstsError(900144, { parameter: "client_id" });
      const client = lookupClient(ctx, clientId);
      if (!client.allowsPublicFlows) throw new AadstsError(7000218);
      const scopes = resolveScopes(ctx.store.state, params.scope, client.displayName);
      checkResourceParameter(scopes, params.resource);
      const device = newDeviceAuthorization(ctx, client.appId, params.scope ?? "");
      const ticketUser = redeemSignInTicket(ctx, String(req.query.sign_in_ticket ?? "") || undefined);
      const auto = ticketUser ?? autoApproveUser(ctx);
      if (auto) {
        const authTime = ctx.clock.nowSeconds();
        const tx = newTransaction(ctx, {
          clientId: client.appId,
          scope: device.scope,
          origin: { kind: "device", deviceCode: device.deviceCode },
          userId: auto.id,
          authTime,
          auto: true,
        });
        const step = await nextStep(ctx, tx);
        endTransaction(ctx, tx);
        settleDevice(ctx, device, step, authTime);
      }
      const verificationUri = `${ctx.origin}/devicelogin`;
      res.set("Cache-Control", "no-store").json({
        user_code: device.userCode,
        device_code: device.deviceCode,
        verification_uri: verificationUri,
        expires_in: ctx.options.deviceCodeLifetimeSeconds,
        interval: device.interval,
        message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${device.userCode} to authenticate.`,
      });
    },
  );
}

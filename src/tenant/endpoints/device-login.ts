import express, { type Router } from "express";
import type { TenantContext } from "../context.js";
import { AadstsError } from "../errors/protocol-error.js";
import { sendDeviceCodePage } from "../pages/device-pages.js";
import { deviceByUserCode } from "../sign-in/device-authorizations.js";
import { continueFlow } from "../sign-in/sign-in-flow.js";
import { newTransaction } from "../sign-in/transactions.js";
import { flatParams } from "./authorize.js";

/** /devicelogin: the page where a user types a device's code, then signs in and consents. */
export function deviceLoginRoutes(router: Router, ctx: TenantContext): void {
  router.get("/devicelogin", (_req, res) => {
    sendDeviceCodePage(res);
  });
  router.post("/devicelogin", express.urlencoded({ extended: false, limit: "16kb" }), async (req, res) => {
    const form = flatParams(req.body);
    const device = deviceByUserCode(ctx, form.otc ?? "");
    if (!device) {
      sendDeviceCodePage(res, { text: "That code didn't work. Check the code and try again." });
      return;
    }
    if (ctx.clock.now() >= device.expiresAt) {
      sendDeviceCodePage(res, { text: new AadstsError(70019).description, code: 70019 });
      return;
    }
    if (device.status !== "pending") {
      sendDeviceCodePage(res, { text: "That code has already been used. Ask the device for a new code." });
      return;
    }
    const tx = newTransaction(ctx, {
      clientId: device.clientId,
      scope: device.scope,
      origin: { kind: "device", deviceCode: device.deviceCode },
    });
    await continueFlow(ctx, tx, res);
  });
}

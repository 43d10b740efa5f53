import { randomUUID } from "node:crypto";
import { authenticateClient } from "../clients/client-auth.js";
import { presentedCredentials } from "../clients/client-credentials-input.js";
import { userById } from "../directory/lookups.js";
import { resolveScopes } from "../directory/scopes.js";
import { AadstsError } from "../errors/protocol-error.js";
import { findDeviceAuthorization } from "../sign-in/device-authorizations.js";
import { issueDelegated } from "../tokens/token-response.js";
import type { GrantHandler } from "./grant.js";

/** Timers may fire a little early; a poll this much before the interval still counts as on time. */
const POLL_JITTER_MS = 100;

/**
 * Polling for a device code (grant_type `device_code`, as msal sends it, or the RFC 8628 URN):
 * authorization_pending until the user has signed in on /devicelogin, slow_down when polled faster
 * than the interval, expired_token after expires_in, authorization_declined, and tokens exactly once.
 */
export const deviceCodeGrant: GrantHandler = async (ctx, request) => {
  const params = request.params;
  const deviceCode = params.device_code ?? params.code;
  if (!deviceCode) throw new AadstsError(900144, { parameter: "device_code" });
  const { client, level } = await authenticateClient(
    ctx,
    presentedCredentials(params, request.authorization),
    { tokenEndpoints: request.tokenEndpoints, requireCredential: false },
  );
  const device = findDeviceAuthorization(ctx, deviceCode);
  if (!device || device.clientId !== client.appId || device.status === "redeemed") {
    throw new AadstsError(70000, { parameter: "device_code" });
  }
  const now = ctx.clock.now();
  if (now >= device.expiresAt) throw new AadstsError(70019);
  if (device.status === "pending") {
    const previous = device.lastPollAt;
    device.lastPollAt = now;
    if (previous !== undefined && now - previous < device.interval * 1000 - POLL_JITTER_MS) {
      throw new AadstsError(70018, { interval: device.interval });
    }
    throw new AadstsError(70016);
  }
  if (device.status !== "approved" || !device.userId) {
    throw device.error ?? new AadstsError(65004, {}, { error: "authorization_declined" });
  }
  device.status = "redeemed";
  const user = userById(ctx.store.state, device.userId);
  if (!user?.accountEnabled) throw new AadstsError(70000, { parameter: "device_code" });
  const scopes = resolveScopes(ctx.store.state, device.scope, client.displayName);
  return issueDelegated(ctx, {
    client,
    clientAuth: level,
    request: scopes,
    user,
    scopes: device.grantedScopes ?? [],
    authTime: device.authTime ?? Math.floor(now / 1000),
    clientInfo: params.client_info === "1",
    refresh: scopes.oidc.includes("offline_access"),
    family: randomUUID(),
  });
};

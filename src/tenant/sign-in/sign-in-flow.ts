import type { Response } from "express";
import type { TenantContext } from "../context.js";
import { clientByAppId, isAdministrator } from "../directory/lookups.js";
import type { PermissionScope } from "../directory/tenant-state.js";
import { AadstsError } from "../errors/protocol-error.js";
import { type PermissionLine, sendAdminApprovalPage, sendConsentPage } from "../pages/consent-page.js";
import { sendDeviceDonePage } from "../pages/device-pages.js";
import { sendErrorPage } from "../pages/error-page.js";
import { cspSource } from "../pages/html.js";
import { sendSignInPage } from "../pages/sign-in-page.js";
import { clientInfo } from "../tokens/token-claims.js";
import { issueAuthorizationCode } from "./authorization-codes.js";
import { redirectError, respondToClient } from "./authorize-response.js";
import { findDeviceAuthorization } from "./device-authorizations.js";
import { type FlowStep, nextStep } from "./flow-step.js";
import type { DeviceAuthorization, Transaction } from "./short-lived-records.js";
import { endTransaction } from "./transactions.js";

/** Where the pages of a transaction may send the browser: the tenant, and the client's redirect URI. */
function formTargets(tx: Transaction): string[] {
  const target = tx.origin.kind === "authorize" ? cspSource(tx.origin.request.redirectUri) : undefined;
  return target ? [target] : [];
}

function appName(ctx: TenantContext, tx: Transaction): string {
  return clientByAppId(ctx.store.state, tx.clientId)?.displayName ?? tx.clientId;
}

/** Moves a sign-in on by one step and answers the browser with the page or the end of the flow. */
export async function continueFlow(ctx: TenantContext, tx: Transaction, res: Response): Promise<void> {
  await answer(ctx, tx, res, await nextStep(ctx, tx));
}

export async function answer(
  ctx: TenantContext,
  tx: Transaction,
  res: Response,
  step: FlowStep,
): Promise<void> {
  switch (step.kind) {
    case "sign-in":
      showSignIn(ctx, tx, res);
      return;
    case "consent": {
      const admin = isAdministrator(ctx.store.state, step.user.id);
      sendConsentPage(res, {
        tx: tx.id,
        appName: step.client.displayName,
        firstParty: step.client.firstParty,
        userName: step.user.userPrincipalName,
        permissions: permissionLines(tx, step.shown, admin),
        canConsentForOrganization: admin,
        formTargets: formTargets(tx),
      });
      return;
    }
    case "admin-approval":
      sendAdminApprovalPage(res, {
        tx: tx.id,
        appName: step.client.displayName,
        permissions: permissionLines(tx, step.permissions, true),
        formTargets: formTargets(tx),
        description: step.error.description,
        code: step.error.code,
      });
      return;
    case "done":
      finish(ctx, tx, res, step);
      return;
    case "failed":
      fail(ctx, tx, res, step.error);
      return;
  }
}

export function showSignIn(
  ctx: TenantContext,
  tx: Transaction,
  res: Response,
  attempt: { username?: string; error?: AadstsError } = {},
): void {
  const state = ctx.store.state;
  sendSignInPage(res, {
    tx: tx.id,
    appName: appName(ctx, tx),
    users: state.users
      .filter((user) => user.accountEnabled)
      .map((user) => ({ ...user, admin: isAdministrator(state, user.id) })),
    username: attempt.username ?? tx.loginHint,
    error: attempt.error,
    device: tx.origin.kind === "device",
    formTargets: formTargets(tx),
  });
}

const OIDC_LINES: Record<string, Omit<PermissionLine, "value" | "adminOnly">> = {
  openid: { displayName: "Sign you in", description: "Allows you to sign in to the app with your account." },
  profile: {
    displayName: "View your basic profile",
    description: "Allows the app to see your basic profile (name, picture, user name).",
  },
  email: {
    displayName: "View your email address",
    description: "Allows the app to read your email address.",
  },
  offline_access: {
    displayName: "Maintain access to data you have given it access to",
    description:
      "Allows the app to see and update the data you gave it access to, even when you are not using the app.",
  },
};

function permissionLines(tx: Transaction, scopes: PermissionScope[], admin: boolean): PermissionLine[] {
  const lines = scopes.map((scope) => ({
    value: scope.value,
    displayName: admin
      ? scope.adminConsentDisplayName
      : (scope.userConsentDisplayName ?? scope.adminConsentDisplayName),
    description: admin
      ? scope.adminConsentDescription
      : (scope.userConsentDescription ?? scope.adminConsentDescription),
    adminOnly: scope.type === "Admin",
  }));
  const oidc = tx.scope
    .split(/\s+/)
    .map((value) => value.toLowerCase())
    .filter((value, index, all) => OIDC_LINES[value] && all.indexOf(value) === index)
    .map((value) => ({ value, adminOnly: false, ...OIDC_LINES[value]! }));
  return [...lines, ...oidc];
}

function finish(ctx: TenantContext, tx: Transaction, res: Response, step: FlowStep & { kind: "done" }): void {
  endTransaction(ctx, tx);
  const authTime = tx.authTime ?? ctx.clock.nowSeconds();
  if (tx.origin.kind === "authorize") {
    const request = tx.origin.request;
    const code = issueAuthorizationCode(ctx, request, {
      userId: step.user.id,
      grantedScopes: step.scopes,
      authTime,
    });
    respondToClient(res, request, {
      code,
      state: request.state,
      session_state: tx.sessionState,
      client_info: request.clientInfo ? clientInfo(ctx.store.state, step.user) : undefined,
    });
    return;
  }
  const device = findDeviceAuthorization(ctx, tx.origin.deviceCode);
  if (!device || !settleDevice(ctx, device, step, authTime)) {
    sendErrorPage(ctx, res, new AadstsError(70019));
    return;
  }
  sendDeviceDonePage(res, step.client.displayName, true);
}

/** Ends a transaction with an error: back to the client, or (device flow) on a page. */
export function fail(ctx: TenantContext, tx: Transaction, res: Response, error: AadstsError): void {
  endTransaction(ctx, tx);
  if (tx.origin.kind === "authorize") {
    redirectError(ctx, res, tx.origin.request, error);
    return;
  }
  const device = findDeviceAuthorization(ctx, tx.origin.deviceCode);
  if (device) settleDevice(ctx, device, { kind: "failed", error }, 0);
  if (error.code === 65004) sendDeviceDonePage(res, appName(ctx, tx), false);
  else sendErrorPage(ctx, res, error);
}

/**
 * Records how a device's sign-in ended, for its next poll. False when the device code had already
 * expired or ended.
 */
export function settleDevice(
  ctx: TenantContext,
  device: DeviceAuthorization,
  step: FlowStep,
  authTime: number,
): boolean {
  if (device.status !== "pending" || ctx.clock.now() >= device.expiresAt) return false;
  if (step.kind === "done") {
    Object.assign(device, { status: "approved", userId: step.user.id, authTime, grantedScopes: step.scopes });
  } else if (step.kind === "failed") {
    Object.assign(device, { status: step.error.code === 65004 ? "declined" : "failed", error: step.error });
  } else {
    return false;
  }
  return true;
}

import { randomBytes, randomInt } from "node:crypto";
import type { TenantContext } from "../context.js";
import type { DeviceAuthorization } from "./short-lived-records.js";

/** Letters and digits a person cannot mix up when typing the code. */
const USER_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const KEEP_AFTER_EXPIRY_MS = 3600 * 1000;

function newUserCode(): string {
  return Array.from({ length: 9 }, () => USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)]).join("");
}

export function newDeviceAuthorization(
  ctx: TenantContext,
  clientId: string,
  scope: string,
): DeviceAuthorization {
  const now = ctx.clock.now();
  const record: DeviceAuthorization = {
    deviceCode: `DAQ.dev.${randomBytes(48).toString("base64url")}`,
    userCode: newUserCode(),
    clientId,
    scope,
    interval: ctx.options.deviceCodeIntervalSeconds,
    expiresAt: now + ctx.options.deviceCodeLifetimeSeconds * 1000,
    status: "pending",
  };
  ctx.memory.deviceCodes.set(record.deviceCode, record, record.expiresAt + KEEP_AFTER_EXPIRY_MS, now);
  return record;
}

export function findDeviceAuthorization(
  ctx: TenantContext,
  deviceCode: string,
): DeviceAuthorization | undefined {
  return ctx.memory.deviceCodes.get(deviceCode, ctx.clock.now());
}

/** The flow a user code typed on /devicelogin belongs to (case, spaces and dashes ignored). */
export function deviceByUserCode(ctx: TenantContext, typed: string): DeviceAuthorization | undefined {
  const wanted = typed.toUpperCase().replace(/[\s-]/g, "");
  if (!wanted) return undefined;
  return ctx.memory.deviceCodes.find((record) => record.userCode === wanted, ctx.clock.now());
}

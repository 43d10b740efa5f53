import type { ProjectApp } from "../../../core/project-config.js";
import type { Application } from "../../../tenant/directory/tenant-state.js";
import { MANAGED_SECRET_PREFIX } from "../steps/client-secret.js";

/** A client secret as the lifecycle commands report it: ids, hint and dates, never a value. */
export interface SecretStatus {
  keyId: string;
  displayName: string | null;
  hint: string | null;
  startDateTime: string;
  endDateTime: string;
  expired: boolean;
  /** Expires within EXPIRING_SOON_DAYS. */
  expiresSoon: boolean;
  daysLeft: number;
  /** Named `mcp-entra …`: mcp-entra keeps exactly one of these. */
  managed: boolean;
  /** The secret whose value .env holds (its keyId is the one mcp-entra.json records). */
  inEnv: boolean;
}

export const EXPIRING_SOON_DAYS = 30;
const DAY = 24 * 3600 * 1000;

export function secretStatuses(
  app: Application,
  record: ProjectApp,
  secretInEnv: boolean,
  now = Date.now(),
): SecretStatus[] {
  return app.passwordCredentials.map((credential) => {
    const left = Date.parse(credential.endDateTime) - now;
    return {
      keyId: credential.keyId,
      displayName: credential.displayName,
      hint: credential.hint,
      startDateTime: credential.startDateTime,
      endDateTime: credential.endDateTime,
      expired: left <= 0,
      expiresSoon: left > 0 && left < EXPIRING_SOON_DAYS * DAY,
      daysLeft: Math.max(0, Math.floor(left / DAY)),
      managed: credential.displayName?.startsWith(MANAGED_SECRET_PREFIX) ?? false,
      inEnv: secretInEnv && credential.keyId === record.secret?.keyId,
    };
  });
}

/** "expired", "expires in 12 days", "valid until 2026-01-31". */
export function expiryText(secret: SecretStatus): string {
  if (secret.expired) return `expired ${secret.endDateTime.slice(0, 10)}`;
  if (secret.expiresSoon) return `expires in ${secret.daysLeft} day${secret.daysLeft === 1 ? "" : "s"}`;
  return `valid until ${secret.endDateTime.slice(0, 10)}`;
}

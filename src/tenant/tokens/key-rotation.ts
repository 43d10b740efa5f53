import type { SigningKeyRecord, TenantState } from "../directory/tenant-state.js";
import { newSigningKey } from "./signing-keys.js";

/** How long a replaced signing key stays in the JWKS, so tokens it signed keep verifying. */
export const DEFAULT_KEY_GRACE_HOURS = 24;

/**
 * Makes a new signing key the active one. The keys it replaces stay published until now + grace;
 * keys whose grace period is over are dropped from the state.
 */
export function rotateSigningKeys(state: TenantState, nowMs: number, graceMs: number): SigningKeyRecord {
  const now = new Date(nowMs).toISOString();
  const publishedUntil = new Date(nowMs + graceMs).toISOString();
  state.signingKeys = state.signingKeys.filter(
    (key) => !key.publishedUntil || Date.parse(key.publishedUntil) > nowMs,
  );
  for (const key of state.signingKeys) {
    if (key.retiredAt === null) {
      key.retiredAt = now;
      key.publishedUntil = publishedUntil;
    }
  }
  const active = newSigningKey(now);
  state.signingKeys.unshift(active);
  return active;
}

/** The keys as `tenant keys rotate` and the admin API describe them (no private material). */
export function describeSigningKeys(state: TenantState) {
  return state.signingKeys.map((key) => ({
    kid: key.kid,
    active: key.retiredAt === null,
    createdAt: key.createdAt,
    publishedUntil: key.publishedUntil,
  }));
}

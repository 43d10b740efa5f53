import { AadstsError } from "../errors/protocol-error.js";

/**
 * What Entra requires of codes and refresh tokens issued to a `spa` redirect URI
 * (learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow#redirect-uris-for-single-page-apps-spas,
 * learn.microsoft.com/entra/identity-platform/refresh-tokens#token-lifetime): they are redeemed by the
 * browser, cross-origin (an Origin header; AADSTS9002327 otherwise), with PKCE (AADSTS9002325), and
 * the refresh tokens of one sign-in expire together 24 hours after it (AADSTS700084, not extendable).
 * Tokens of other platforms are not redeemed cross-origin (AADSTS9002326).
 */
export const SPA_REFRESH_LIFETIME_MS = 24 * 3600 * 1000;

/** The Origin rule of one redemption (authorization code or refresh token). */
export function checkRedemptionOrigin(spa: boolean, origin: string | undefined): void {
  if (spa && !origin) throw new AadstsError(9002327);
  if (!spa && origin) throw new AadstsError(9002326, { origin });
}

/** A cross-origin code redemption needs PKCE. */
export function checkSpaPkce(codeChallenge: string | undefined): void {
  if (!codeChallenge) throw new AadstsError(9002325);
}

/** A spa refresh token past the 24 hours of its sign-in. */
export function spaRefreshExpired(expiresAt: number): AadstsError {
  const signedInAt = new Date(expiresAt - SPA_REFRESH_LIFETIME_MS).toISOString();
  return new AadstsError(700084, { lifetime: "1.00:00:00", issuedAt: signedInAt }, { suberror: "bad_token" });
}

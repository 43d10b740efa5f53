import { AuthError } from "@azure/msal-node";

/** The user has yet to sign in; the message says how. */
export class SignInRequiredError extends Error {
  override readonly name = "SignInRequiredError";
}

/** Sign-in failed (declined, expired, refused by Entra, network); the message says why. */
export class SignInFailedError extends Error {
  override readonly name = "SignInFailedError";
}

/** Why a device code flow ended without a token, in words (MSAL reports Entra's OAuth error as is). */
const REASONS: Record<string, string> = {
  expired_token: "the code expired before anyone signed in with it",
  device_code_expired: "the code expired before anyone signed in with it",
  authorization_declined: "the sign-in was declined",
};

/** A one-line reason, safe to show and log: MSAL's error code and Entra's AADSTS message. */
export function describe(error: unknown): string {
  if (error instanceof AuthError) {
    const known = REASONS[error.errorMessage.trim()] ?? REASONS[error.errorCode];
    if (known) return known;
    const detail = error.errorMessage
      .split(/\r?\n| Trace ID:/)[0]
      ?.trim()
      .slice(0, 300);
    return detail ? `${error.errorCode}: ${detail}` : error.errorCode;
  }
  return error instanceof Error ? error.message : String(error);
}

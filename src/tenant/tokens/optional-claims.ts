import type { JWTPayload } from "jose";
import type { User } from "../directory/tenant-state.js";

// https://learn.microsoft.com/en-us/entra/identity-platform/optional-claims-reference
/**
 * The optional claims of an app registration (`optionalClaims`), applied as Entra applies them:
 * access-token claims come from the resource's registration, ID-token claims from the client's.
 * The common ones are supported; others are accepted by Graph and ignored here (docs/dev-tenant.md).
 */
export type TokenKind = "accessToken" | "idToken";

interface OptionalClaim {
  name?: unknown;
}

/** The claim names an app registration asks for in one kind of token (lower case). */
export function configuredOptionalClaims(optionalClaims: unknown, kind: TokenKind): Set<string> {
  const list = (optionalClaims as Record<string, unknown> | null | undefined)?.[kind];
  if (!Array.isArray(list)) return new Set();
  return new Set(
    (list as OptionalClaim[])
      .map((claim) => claim?.name)
      .filter((name): name is string => typeof name === "string")
      .map((name) => name.toLowerCase()),
  );
}

/** Claims about the signed-in user, for the names configured (those the user has a value for). */
export function optionalUserClaims(names: Set<string>, user: User, authTime: number): JWTPayload {
  const claims: JWTPayload = {};
  if (names.has("email") && user.mail) claims.email = user.mail;
  if (names.has("upn")) claims.upn = user.userPrincipalName;
  if (names.has("given_name") && user.givenName) claims.given_name = user.givenName;
  if (names.has("family_name") && user.surname) claims.family_name = user.surname;
  // 0: the user is a member of the tenant (1 would be a guest); the dev tenant has no guests.
  if (names.has("acct")) claims.acct = 0;
  if (names.has("auth_time")) claims.auth_time = authTime;
  if (names.has("verified_primary_email") && user.mail) claims.verified_primary_email = [user.mail];
  return claims;
}

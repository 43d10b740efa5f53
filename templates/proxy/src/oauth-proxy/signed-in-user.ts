import { decodeJwt } from "jose";
import { OAuthError } from "./oauth-error.js";
import type { SignedInUser } from "./proxy-store.js";

/**
 * The user Entra signed in, from the access token Entra has just issued to this server's app for
 * its own API: the proxy got it from Entra's token endpoint itself, over TLS, with its credential,
 * so its claims are read, not verified again. The user is `<tid>/<oid>`: stable, unlike names.
 */
export function signedInUser(accessToken: string): SignedInUser {
  let claims: Record<string, unknown>;
  try {
    claims = decodeJwt(accessToken);
  } catch {
    claims = {};
  }
  const { tid, oid } = claims;
  if (typeof tid !== "string" || typeof oid !== "string") {
    throw new OAuthError("server_error", "Microsoft Entra ID's token does not name the user.", 500);
  }
  const name = [claims.preferred_username, claims.upn, claims.unique_name, claims.name].find(
    (value): value is string => typeof value === "string" && value !== "",
  );
  return { id: `${tid}/${oid}`, name: name ?? oid };
}

import { decodeJwt } from "jose/jwt/decode";

/** What the report shows of an access token: a few claims, never the token. */
export type TokenSummary = Record<string, string | string[] | null>;

const SHOWN = ["aud", "iss", "azp", "appid", "oid", "tid", "ver", "idtyp"] as const;

/** Decodes (without verifying: that is the server's job) and keeps the claims worth showing. */
export function summarizeAccessToken(token: string): TokenSummary {
  let claims: Record<string, unknown>;
  try {
    claims = decodeJwt(token);
  } catch {
    return { format: "opaque" };
  }
  const summary: TokenSummary = { format: "jwt" };
  for (const name of SHOWN) {
    const value = claims[name];
    if (typeof value === "string") summary[name] = value;
    else if (Array.isArray(value)) summary[name] = value.map(String);
  }
  if (typeof claims.scp === "string") summary.scp = claims.scp.split(" ").filter(Boolean);
  if (typeof claims.scope === "string") summary.scope = claims.scope.split(" ").filter(Boolean);
  if (Array.isArray(claims.roles)) summary.roles = claims.roles.map(String);
  if (typeof claims.exp === "number") summary.exp = new Date(claims.exp * 1000).toISOString();
  return summary;
}

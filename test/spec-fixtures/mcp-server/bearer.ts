import { compactVerify, createRemoteJWKSet, decodeJwt, decodeProtectedHeader, type JWTPayload } from "jose";
import type { AuthorizationServerRef, TokenCheck } from "./options.js";

export type TokenVerdict = { ok: true; claims: JWTPayload } | { ok: false; reason: string };

const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

function keySetOf(jwksUri: string) {
  let keySet = keySets.get(jwksUri);
  if (!keySet) {
    keySet = createRemoteJWKSet(new URL(jwksUri), { cooldownDuration: 0 });
    keySets.set(jwksUri, keySet);
  }
  return keySet;
}

/**
 * Access token validation as a resource server (OAuth 2.1 §5.2, authorization/index.mdx "Token
 * Handling"): the signature by a key the listed authorization server publishes (never `alg: none`),
 * `iss` one of the listed issuers, `exp` in the future, and `aud` naming this server (RFC 8707 §2).
 * A careless server skips the checks named in `skip`.
 */
export async function validateAccessToken(
  token: string,
  trusted: AuthorizationServerRef[],
  audiences: string[],
  skip: ReadonlySet<TokenCheck>,
  now: number,
): Promise<TokenVerdict> {
  let claims: JWTPayload;
  let alg: string | undefined;
  try {
    alg = decodeProtectedHeader(token).alg;
    claims = decodeJwt(token);
  } catch {
    return { ok: false, reason: "the token is not a JWT" };
  }
  const server = trusted.find((candidate) => candidate.issuer === claims.iss);
  const verifySignature = !skip.has("signature") && !(alg === "none" && skip.has("alg-none"));
  if (verifySignature) {
    if (alg === "none") return { ok: false, reason: "unsigned token (alg none)" };
    const keysFrom = server ?? (skip.has("issuer") ? trusted[0] : undefined);
    if (!keysFrom)
      return {
        ok: false,
        reason: `issuer ${String(claims.iss)} is not an authorization server of this resource`,
      };
    try {
      await compactVerify(token, keySetOf(keysFrom.jwksUri), { algorithms: ["RS256", "ES256"] });
    } catch (error) {
      return { ok: false, reason: `signature: ${(error as Error).message}` };
    }
  }
  if (!skip.has("issuer") && !server) {
    return {
      ok: false,
      reason: `issuer ${String(claims.iss)} is not an authorization server of this resource`,
    };
  }
  if (!skip.has("expiry") && (typeof claims.exp !== "number" || claims.exp * 1000 <= now)) {
    return { ok: false, reason: "the token is expired or has no exp" };
  }
  const aud = typeof claims.aud === "string" ? [claims.aud] : (claims.aud ?? []);
  if (!skip.has("audience") && !aud.some((value) => audiences.includes(value))) {
    return { ok: false, reason: `the token's audience ${JSON.stringify(claims.aud)} is not this server` };
  }
  return { ok: true, claims };
}

export function tokenScopes(claims: JWTPayload): string[] {
  return typeof claims.scope === "string" ? claims.scope.split(" ").filter(Boolean) : [];
}

/** The Bearer token of an Authorization header (RFC 6750 §2.1), or undefined. */
export function bearerToken(authorization: string | undefined): string | undefined {
  return /^Bearer\s+([A-Za-z0-9\-._~+/]+=*)\s*$/i.exec(authorization ?? "")?.[1];
}

/**
 * A `WWW-Authenticate: Bearer` challenge (RFC 6750 §3, RFC 9728 §5.1). Without a token no `error`
 * is given (RFC 6750 §3.1: SHOULD NOT).
 */
export function challenge(params: {
  error?: "invalid_token" | "insufficient_scope" | "invalid_request";
  description?: string;
  scope?: string;
  resourceMetadata?: string;
}): string {
  const parts: string[] = [];
  if (params.error) parts.push(`error="${params.error}"`);
  if (params.description) parts.push(`error_description="${params.description.replace(/["\\]/g, "'")}"`);
  if (params.scope) parts.push(`scope="${params.scope}"`);
  if (params.resourceMetadata) parts.push(`resource_metadata="${params.resourceMetadata}"`);
  return parts.length > 0 ? `Bearer ${parts.join(", ")}` : "Bearer";
}

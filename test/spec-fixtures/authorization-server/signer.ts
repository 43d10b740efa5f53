import { randomBytes, randomUUID } from "node:crypto";
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import { recordIssuedSecret } from "../secret-ledger.js";

/** Claims of an access token in the JWT profile of RFC 9068 §2.2. */
export interface AccessTokenClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  client_id: string;
  scope: string;
  iat: number;
  exp: number;
  jti: string;
  [claim: string]: unknown;
}

/** The AS's signing key: access tokens are JWTs signed with it, its public half is the AS's JWKS. */
export interface Signer {
  kid: string;
  alg: "RS256" | "ES256";
  jwks: { keys: JWK[] };
  sign(claims: AccessTokenClaims): Promise<string>;
}

/**
 * RSA key generation costs about half a second on a loaded machine, so the authorization servers of one
 * test process share one RSA key pair, each under its own `kid` (a token names the `kid` and `iss` of
 * the AS that signed it; a resource server looks the key up in the JWKS of the issuer it trusts).
 */
let rsaKeyPair: ReturnType<typeof generateKeyPair> | undefined;

export async function createSigner(alg: "RS256" | "ES256"): Promise<Signer> {
  if (alg === "RS256") rsaKeyPair ??= generateKeyPair("RS256", { extractable: true });
  const pair = alg === "RS256" && rsaKeyPair ? rsaKeyPair : generateKeyPair(alg, { extractable: true });
  const { privateKey, publicKey } = await pair;
  const kid = `spec-as-${randomUUID().slice(0, 8)}`;
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: "sig" };
  return {
    kid,
    alg,
    jwks: { keys: [publicJwk] },
    sign: (claims) => signWith(privateKey, alg, kid, claims),
  };
}

async function signWith(
  key: CryptoKey,
  alg: string,
  kid: string,
  claims: AccessTokenClaims,
): Promise<string> {
  const token = await new SignJWT(claims).setProtectedHeader({ alg, kid, typ: "at+jwt" }).sign(key);
  recordIssuedSecret(token);
  return token;
}

/** An opaque, unguessable value (codes, refresh tokens, client secrets), recorded in the secret ledger. */
export function opaqueSecret(): string {
  const value = randomBytes(32).toString("base64url");
  recordIssuedSecret(value);
  return value;
}

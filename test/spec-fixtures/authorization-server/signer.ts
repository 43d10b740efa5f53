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

export async function createSigner(alg: "RS256" | "ES256"): Promise<Signer> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
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

import { randomUUID } from "node:crypto";
import { exportJWK, exportPKCS8, generateKeyPair, type JWK, SignJWT } from "jose";

/**
 * A client key pair for private_key_jwt (RFC 7523 §2.2): the public JWK goes into the client's
 * registration (`jwks`), the PKCS#8 PEM is what a client is given (e.g. `--private-key-file`).
 */
export interface ClientKey {
  alg: "RS256" | "ES256";
  kid: string;
  publicJwk: JWK;
  privateKeyPem: string;
  /** A client assertion as RFC 7523 §3 describes it: iss = sub = client id, aud = the AS, exp, jti. */
  assertion(clientId: string, audience: string, claims?: Record<string, unknown>): Promise<string>;
}

export async function createClientKey(alg: "RS256" | "ES256"): Promise<ClientKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const kid = `client-${alg.toLowerCase()}-${randomUUID().slice(0, 8)}`;
  return {
    alg,
    kid,
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: "sig" },
    privateKeyPem: await exportPKCS8(privateKey),
    assertion: (clientId, audience, claims = {}) =>
      new SignJWT({ jti: randomUUID(), ...claims })
        .setProtectedHeader({ alg, kid })
        .setIssuer(clientId)
        .setSubject(clientId)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime("5m")
        .sign(privateKey),
  };
}

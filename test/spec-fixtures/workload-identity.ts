import { randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import type { TrustedAssertionIssuer } from "./authorization-server/options.js";
import { recordIssuedSecret } from "./secret-ledger.js";

/**
 * An external token issuer for workload identity (a CI system's or a cluster's OIDC issuer): it signs
 * the JWT a workload presents to the authorization server in the RFC 7523 jwt-bearer grant. Pass
 * `trust()` in the AS's `trustedAssertionIssuers`.
 */
export interface WorkloadIdentityIssuer {
  issuer: string;
  jwks: { keys: JWK[] };
  /** The JWT a workload would read from its token file. */
  mint(claims: {
    sub: string;
    aud: string;
    expiresInSeconds?: number;
    [claim: string]: unknown;
  }): Promise<string>;
  trust(options?: { audience?: string; subject?: string }): TrustedAssertionIssuer;
}

export async function createWorkloadIdentityIssuer(
  issuer = "https://workload-issuer.invalid",
): Promise<WorkloadIdentityIssuer> {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  const kid = `workload-${randomUUID().slice(0, 8)}`;
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" }] };
  return {
    issuer,
    jwks,
    mint: async ({ sub, aud, expiresInSeconds = 300, ...claims }) => {
      const now = Math.floor(Date.now() / 1000);
      const token = await new SignJWT({ jti: randomUUID(), ...claims })
        .setProtectedHeader({ alg: "RS256", kid, typ: "JWT" })
        .setIssuer(issuer)
        .setSubject(sub)
        .setAudience(aud)
        .setIssuedAt(now)
        .setExpirationTime(now + expiresInSeconds)
        .sign(privateKey);
      recordIssuedSecret(token);
      return token;
    },
    trust: (options = {}) => ({ issuer, jwks, ...options }),
  };
}

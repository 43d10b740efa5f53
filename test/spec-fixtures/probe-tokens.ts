import { randomUUID } from "node:crypto";
import { generateKeyPair, SignJWT } from "jose";
import type { AuthorizationServerFixture } from "./authorization-server.js";

/**
 * Tokens a resource server MUST refuse (authorization/index.mdx "Token Handling": invalid or expired
 * tokens get 401; security-considerations.mdx "Access Token Privilege Restriction"), each wrong in one
 * way only, so a server that skips exactly one check accepts exactly one of them.
 */
export interface ProbeTokens {
  /** Signed by a key the AS never published, under the AS key's own `kid`. */
  unknownKeySameKid: string;
  /** `alg: none`, no signature, otherwise valid claims. */
  algNone: string;
  /** Signed by the AS's key, `iss` another issuer. */
  wrongIssuer: string;
  /** Signed by the AS's key, expired an hour ago. */
  expired: string;
  /** Signed by the AS's key, for another resource. */
  wrongAudience: string;
}

export async function forgeProbeTokens(
  as: AuthorizationServerFixture,
  resource: string,
  scope = "mcp:read",
): Promise<ProbeTokens> {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    iss: as.issuer,
    sub: "spec-user",
    aud: resource,
    client_id: "probe",
    scope,
    iat: now,
    exp: now + 3600,
    jti: randomUUID(),
  };
  const { privateKey } = await generateKeyPair(as.signingAlgorithm);
  const unknownKeySameKid = await new SignJWT(claims)
    .setProtectedHeader({ alg: as.signingAlgorithm, kid: as.kid, typ: "at+jwt" })
    .sign(privateKey);
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return {
    unknownKeySameKid,
    algNone: `${encode({ alg: "none", kid: as.kid, typ: "at+jwt" })}.${encode(claims)}.`,
    wrongIssuer: await as.issueAccessToken({ ...claims, iss: "https://other-issuer.invalid" }),
    expired: await as.issueAccessToken({ ...claims, iat: now - 7200, exp: now - 3600 }),
    wrongAudience: await as.issueAccessToken({ ...claims, aud: "https://other-resource.invalid/mcp" }),
  };
}

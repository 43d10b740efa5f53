import { createLocalJWKSet, createRemoteJWKSet, customFetch, type JWTVerifyGetKey } from "jose";
import { trustedFetch } from "../../entra/trust.js";
import { GITHUB_ACTIONS_ISSUER } from "../../entra/well-known.js";
import type { TenantContext } from "../context.js";

const remoteSets = new Map<string, JWTVerifyGetKey>();

/**
 * The keys that verify a federated assertion from `issuer`. GitHub Actions cannot be reached offline,
 * so the dev tenant stands in for it: tokens it mints for GitHub's issuer (see the admin API) verify
 * against its own keys. Any other issuer is looked up through its OpenID discovery document,
 * trusting the system CAs and the dev tenant's CA.
 */
export async function federatedIssuerKeys(ctx: TenantContext, issuer: string): Promise<JWTVerifyGetKey> {
  if (issuer === GITHUB_ACTIONS_ISSUER || issuer.startsWith(`${ctx.origin}/`)) {
    return createLocalJWKSet(ctx.keys.jwks(ctx.clock.now()));
  }
  let keys = remoteSets.get(issuer);
  if (!keys) {
    const fetchImpl = trustedFetch([ctx.caPem]);
    const discovery = `${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`;
    const response = await fetchImpl(discovery);
    if (!response.ok) throw new Error(`${discovery} answered ${response.status}`);
    const { jwks_uri: jwksUri } = (await response.json()) as { jwks_uri?: string };
    if (!jwksUri) throw new Error(`${discovery} has no jwks_uri`);
    keys = createRemoteJWKSet(new URL(jwksUri), {
      [customFetch]: (url, init) => fetchImpl(url, init as RequestInit),
    });
    remoteSets.set(issuer, keys);
  }
  return keys;
}

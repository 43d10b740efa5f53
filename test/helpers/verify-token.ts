import { createRemoteJWKSet, customFetch, type JWTVerifyOptions, jwtVerify } from "jose";
import { trustedFetch } from "../../src/entra/trust.js";
import type { DevTenant } from "../../src/tenant/index.js";

/** Verifies a token the dev tenant issued against its published JWKS, as a resource server would. */
export async function verifyTenantToken(tenant: DevTenant, token: string, options: JWTVerifyOptions = {}) {
  const jwks = createRemoteJWKSet(new URL(tenant.urls.jwks), {
    [customFetch]: (url, init) => trustedFetch([tenant.caPem])(url, init as RequestInit),
  });
  return jwtVerify(token, jwks, { currentDate: new Date(tenant.clock.now()), ...options });
}

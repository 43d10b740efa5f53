import type { TenantContext } from "../context.js";
import { invalidRequest } from "../errors/oauth-error.js";
import { AadstsError } from "../errors/protocol-error.js";
import { authorizationCodeGrant } from "../grants/authorization-code.js";
import { clientCredentialsGrant } from "../grants/client-credentials.js";
import { deviceCodeGrant } from "../grants/device-code.js";
import type { GrantHandler } from "../grants/grant.js";
import { onBehalfOfGrant } from "../grants/on-behalf-of.js";
import { refreshTokenGrant } from "../grants/refresh-token.js";
import type { TokenResponse } from "../tokens/token-response.js";
import { resolveTenantSegment } from "./tenant-segment.js";

const grants: Record<string, GrantHandler> = {
  client_credentials: clientCredentialsGrant,
  "urn:ietf:params:oauth:grant-type:jwt-bearer": onBehalfOfGrant,
  authorization_code: authorizationCodeGrant,
  refresh_token: refreshTokenGrant,
  device_code: deviceCodeGrant,
  "urn:ietf:params:oauth:grant-type:device_code": deviceCodeGrant,
};

/** The headers every successful token response carries (besides its JSON content type). */
export const TOKEN_RESPONSE_HEADERS = { "Cache-Control": "no-store", Pragma: "no-cache" } as const;

/**
 * POST /{tenant}/oauth2/v2.0/token, after the body is read (endpoints/token.ts): dispatches on
 * grant_type.
 */
export async function tokenEndpoint(
  ctx: TenantContext,
  segment: string,
  params: Record<string, string | undefined>,
  authorization: string | undefined,
  origin?: string,
): Promise<TokenResponse> {
  const tenant = resolveTenantSegment(ctx.store.state, segment);
  // "Request and response parameters MUST NOT be included more than once" (RFC 6749 §3.1): a repeated
  // name parses to an array, which no check below expects.
  const repeated = Object.keys(params).find((name) => Array.isArray(params[name]));
  if (repeated) throw invalidRequest(`The parameter '${repeated}' is included more than once.`);
  const grantType = params.grant_type;
  if (!grantType) throw new AadstsError(900144, { parameter: "grant_type" });
  const handler = grants[grantType];
  if (!handler) throw new AadstsError(70003, { grantType });
  const tenantId = ctx.store.state.tenant.id;
  const tokenEndpoints = [
    `${ctx.origin}/${segment}/oauth2/v2.0/token`,
    `${ctx.origin}/${tenantId}/oauth2/v2.0/token`,
    `${ctx.origin}/${tenantId}/oauth2/token`,
  ];
  return handler(ctx, { params, authorization, origin, tenant, tokenEndpoints });
}

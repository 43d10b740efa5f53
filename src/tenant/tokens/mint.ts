import type { JWTPayload } from "jose";
import type { TenantContext } from "../context.js";
import { clientByAppId, userByIdOrUpn } from "../directory/lookups.js";
import { resolveScopes } from "../directory/scopes.js";
import { issueAppOnly, issueDelegated, type TokenResponse } from "./token-response.js";

export interface MintTokenInput {
  clientId: string;
  /** e.g. "api://<appId>/access_as_user" or "api://<appId>/.default". */
  scope: string;
  /** A user's id or UPN for a delegated token; without it the token is app-only. */
  user?: string;
  /** Claims that replace the computed ones, e.g. `{ exp: 1 }` for an expired token. */
  claims?: JWTPayload;
}

/**
 * Mints tokens directly, without HTTP and without consent checks: what tests and probes use to get a
 * token of an exact shape. The tokens are signed like every other token of the tenant.
 */
export async function mintToken(ctx: TenantContext, input: MintTokenInput): Promise<TokenResponse> {
  const state = ctx.store.state;
  const client = clientByAppId(state, input.clientId);
  if (!client) throw new Error(`No client ${input.clientId} in the dev tenant`);
  const request = resolveScopes(state, input.scope, client.displayName);
  if (!input.user) {
    if (!client.servicePrincipal) throw new Error(`Client ${input.clientId} has no service principal`);
    return issueAppOnly(ctx, {
      client,
      clientAuth: "1",
      clientPrincipal: client.servicePrincipal,
      request,
      claimOverrides: input.claims,
    });
  }
  const user = userByIdOrUpn(state, input.user);
  if (!user) throw new Error(`No user ${input.user} in the dev tenant`);
  const scopes = request.isDefault
    ? request.resource.scopes.filter((scope) => scope.isEnabled).map((scope) => scope.value)
    : request.values;
  return issueDelegated(ctx, {
    client,
    clientAuth: client.allowsPublicFlows ? "0" : "1",
    request,
    user,
    scopes,
    authTime: ctx.clock.nowSeconds(),
    clientInfo: false,
    refresh: false,
    claimOverrides: input.claims,
  });
}

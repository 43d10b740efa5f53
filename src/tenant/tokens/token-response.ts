import type { JWTPayload } from "jose";
import { ownUrls, type TenantContext } from "../context.js";
import type { ClientApp } from "../directory/lookups.js";
import { qualifiedScope, type ScopeRequest } from "../directory/scopes.js";
import type { RefreshTokenRecord, ServicePrincipal, User } from "../directory/tenant-state.js";
import { hashSecret } from "../secrets/passwords.js";
import { randomBase64url } from "../secrets/random-ids.js";
import { recordIssuedSecret } from "../secrets/secret-ledger.js";
import { SPA_REFRESH_LIFETIME_MS } from "./spa-redemption.js";
import {
  accessTokenClaims,
  assignedRoles,
  type ClientAuthLevel,
  clientInfo,
  idTokenClaims,
  withOverrides,
} from "./token-claims.js";

export interface TokenResponse {
  token_type: "Bearer";
  scope: string;
  expires_in: number;
  ext_expires_in: number;
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  client_info?: string;
}

export interface DelegatedIssue {
  client: ClientApp;
  clientAuth: ClientAuthLevel;
  request: ScopeRequest;
  user: User;
  /** Scope values on the resource the token carries (after consent). */
  scopes: string[];
  nonce?: string;
  authTime: number;
  clientInfo: boolean;
  /** Issue a refresh token (offline_access was requested). */
  refresh: boolean;
  /** The refresh token family (the sign-in it descends from); see RefreshTokenRecord. */
  family?: string;
  /** Issued to a spa redirect URI: the refresh token expires with its family (24 h after sign-in). */
  spa?: { expiresAt?: number };
  /** Claims that replace the computed ones (tests mint expired or otherwise odd tokens with it). */
  claimOverrides?: JWTPayload;
}

/** Tokens for a signed-in user: access token, and id token / refresh token when asked for. */
export async function issueDelegated(ctx: TenantContext, issue: DelegatedIssue): Promise<TokenResponse> {
  const state = ctx.store.state;
  const now = ctx.clock.nowSeconds();
  const issuer = ownUrls(ctx).issuer;
  const { request, user } = issue;
  const oidcScopes = request.oidc;
  const scp = issue.scopes.length > 0 ? issue.scopes : oidcScopes.filter((s) => s !== "offline_access");
  const lifetime = ctx.options.accessTokenLifetimeSeconds;
  const accessToken = await ctx.keys.sign(
    withOverrides(
      accessTokenClaims({
        state,
        issuer,
        resource: request.resource,
        resourceIdentifier: request.resourceIdentifier,
        client: issue.client,
        clientAuth: issue.clientAuth,
        user,
        scopes: scp,
        roles: assignedRoles(state, user.id, request.resource),
        now,
        lifetime,
      }),
      issue.claimOverrides,
    ),
  );
  const granted = issue.scopes.map((value) => qualifiedScope(request, value));
  const response: TokenResponse = {
    token_type: "Bearer",
    scope: [...granted, ...oidcScopes].join(" "),
    expires_in: lifetime,
    ext_expires_in: lifetime,
    access_token: accessToken,
  };
  if (oidcScopes.includes("openid")) {
    response.id_token = await ctx.keys.sign(
      idTokenClaims({
        state,
        issuer,
        client: issue.client,
        user,
        oidcScopes,
        nonce: issue.nonce,
        authTime: issue.authTime,
        now,
      }),
    );
  }
  if (issue.clientInfo) response.client_info = clientInfo(state, user);
  if (issue.refresh) {
    response.refresh_token = await newRefreshToken(
      ctx,
      issue.client.appId,
      user.id,
      [...granted, ...oidcScopes],
      {
        family: issue.family,
        authTime: issue.authTime,
        confidential: issue.clientAuth !== "0",
        ...(issue.spa
          ? { spa: true, expiresAt: issue.spa.expiresAt ?? ctx.clock.now() + SPA_REFRESH_LIFETIME_MS }
          : {}),
      },
    );
  }
  return response;
}

export async function newRefreshToken(
  ctx: TenantContext,
  clientId: string,
  userId: string,
  scopes: string[],
  extra: Pick<RefreshTokenRecord, "family" | "authTime" | "confidential" | "spa"> & {
    expiresAt?: number;
  } = {},
): Promise<string> {
  const token = `1.dev.${randomBase64url(48)}`;
  recordIssuedSecret(token);
  const now = ctx.clock.now();
  await ctx.store.commit((state) => {
    // Issued while a replay revoked its family: it is born revoked (never stored, so never accepted).
    if (extra.family && ctx.memory.revokedFamilies.has(extra.family)) return;
    state.refreshTokens[hashSecret(token)] = {
      clientId,
      userId,
      scopes,
      issuedAt: now,
      expiresAt: now + ctx.options.refreshTokenLifetimeSeconds * 1000,
      ...extra,
    };
  });
  return token;
}

export interface AppOnlyIssue {
  client: ClientApp;
  clientAuth: ClientAuthLevel;
  clientPrincipal: ServicePrincipal;
  request: ScopeRequest;
  claimOverrides?: JWTPayload;
}

/** An app-only token: `roles` from the app role assignments of the client's service principal. */
export async function issueAppOnly(ctx: TenantContext, issue: AppOnlyIssue): Promise<TokenResponse> {
  const state = ctx.store.state;
  const now = ctx.clock.nowSeconds();
  const lifetime = ctx.options.accessTokenLifetimeSeconds;
  const accessToken = await ctx.keys.sign(
    withOverrides(
      accessTokenClaims({
        state,
        issuer: ownUrls(ctx).issuer,
        resource: issue.request.resource,
        resourceIdentifier: issue.request.resourceIdentifier,
        client: issue.client,
        clientAuth: issue.clientAuth,
        appPrincipal: issue.clientPrincipal,
        scopes: [],
        roles: assignedRoles(state, issue.clientPrincipal.id, issue.request.resource),
        now,
        lifetime,
      }),
      issue.claimOverrides,
    ),
  );
  return {
    token_type: "Bearer",
    scope: qualifiedScope(issue.request, ".default"),
    expires_in: lifetime,
    ext_expires_in: lifetime,
    access_token: accessToken,
  };
}

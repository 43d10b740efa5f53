import { createHmac } from "node:crypto";
import type { JWTPayload } from "jose";
import { applicationByAppId, type ClientApp, type ResourceApp } from "../directory/lookups.js";
import type { ServicePrincipal, TenantState, User } from "../directory/tenant-state.js";
import { randomBase64url } from "../secrets/random-ids.js";
import { v1Issuer } from "../server/urls.js";
import { configuredOptionalClaims, optionalUserClaims } from "./optional-claims.js";

/** How the client authenticated: 0 public, 1 secret, 2 certificate or assertion (azpacr/appidacr). */
export type ClientAuthLevel = "0" | "1" | "2";

/** Subjects already computed, by tenant, user and application (an HMAC each time costs more). */
const subjects = new Map<string, string>();
const MAX_SUBJECTS = 10_000;

/** Entra's `sub` is pairwise: the same user gets a different subject for each application. */
export function pairwiseSubject(state: TenantState, userId: string, appId: string): string {
  const key = `${state.tenant.id}\n${userId}\n${appId}`;
  let subject = subjects.get(key);
  if (subject === undefined) {
    subject = createHmac("sha256", state.tenant.id).update(`${userId}:${appId}`).digest("base64url");
    if (subjects.size >= MAX_SUBJECTS) subjects.clear();
    subjects.set(key, subject);
  }
  return subject;
}

/** Values of the enabled app roles assigned to a principal (user or service principal) on a resource. */
export function assignedRoles(state: TenantState, principalId: string, resource: ResourceApp): string[] {
  const roleIds = new Set(
    state.appRoleAssignments
      .filter((a) => a.principalId === principalId && a.resourceId === resource.servicePrincipal.id)
      .map((a) => a.appRoleId),
  );
  return resource.appRoles
    .filter((role) => role.isEnabled && role.value && roleIds.has(role.id))
    .map((role) => role.value as string);
}

export interface AccessTokenInput {
  state: TenantState;
  issuer: string;
  resource: ResourceApp;
  /** How the client named the resource; v1 tokens carry it as `aud`. */
  resourceIdentifier: string;
  client: ClientApp;
  clientAuth: ClientAuthLevel;
  user?: User;
  appPrincipal?: ServicePrincipal;
  scopes: string[];
  roles: string[];
  /** The request carried the `profile` scope: v2 tokens then name the user (`name`, `preferred_username`). */
  profile?: boolean;
  /** When the user signed in (seconds), for the `auth_time` optional claim. */
  authTime?: number;
  now: number;
  lifetime: number;
}

function uti(): string {
  return randomBase64url(16);
}

/** The claims of an access token, in the v1 or v2 shape the resource asked for. */
export function accessTokenClaims(input: AccessTokenInput): JWTPayload {
  const { state, resource, user, now } = input;
  const v2 = resource.accessTokenVersion === 2;
  const tid = state.tenant.id;
  const claims: JWTPayload = {
    aud: v2 ? resource.appId : v1Audience(input),
    iss: v2 ? input.issuer : v1Issuer(tid),
    iat: now,
    nbf: now,
    exp: now + input.lifetime,
    tid,
    uti: uti(),
    ver: v2 ? "2.0" : "1.0",
  };
  if (v2) {
    claims.azp = input.client.appId;
    claims.azpacr = input.clientAuth;
  } else {
    claims.appid = input.client.appId;
    claims.appidacr = input.clientAuth;
  }
  const optional = configuredOptionalClaims(resourceOptionalClaims(state, resource), "accessToken");
  if (user) {
    Object.assign(claims, {
      oid: user.id,
      sub: pairwiseSubject(state, user.id, resource.appId),
      scp: input.scopes.join(" "),
    });
    // https://learn.microsoft.com/en-us/entra/identity-platform/access-token-claims-reference
    // v2: `name` and `preferred_username` need the profile scope. v1 tokens (Graph's among them) name
    // the user with name/upn/unique_name whatever the scopes; the docs are silent there: we keep them.
    const upn = user.userPrincipalName;
    if (!v2) Object.assign(claims, { name: user.displayName, upn, unique_name: upn });
    else if (input.profile) Object.assign(claims, { name: user.displayName, preferred_username: upn });
    Object.assign(claims, optionalUserClaims(optional, user, input.authTime ?? now));
  } else if (input.appPrincipal) {
    Object.assign(claims, { oid: input.appPrincipal.id, sub: input.appPrincipal.id });
    // idtyp is an optional claim, only in app-only tokens: an API gets it when it configured it
    // (Microsoft Graph does: its app-only tokens carry idtyp "app").
    if (optional.has("idtyp") || resource.isMicrosoftGraph) claims.idtyp = "app";
  }
  if (input.roles.length > 0) claims.roles = input.roles;
  return claims;
}

function resourceOptionalClaims(state: TenantState, resource: ResourceApp): unknown {
  return applicationByAppId(state, resource.appId)?.optionalClaims;
}

/**
 * v1 tokens keep the resource as the client named it: the Application ID URI, or the appId GUID.
 * https://learn.microsoft.com/en-us/entra/identity-platform/access-token-claims-reference ("aud": in
 * v1.0 tokens, the client ID or the resource URI used in the request). Graph named by a scope
 * without a prefix is https://graph.microsoft.com.
 */
function v1Audience(input: AccessTokenInput): string {
  const named = input.resourceIdentifier;
  if (input.resource.isMicrosoftGraph && named.includes("://")) return "https://graph.microsoft.com";
  return named;
}

export interface IdTokenInput {
  state: TenantState;
  issuer: string;
  client: ClientApp;
  user: User;
  oidcScopes: string[];
  /** Values of the client's app roles assigned to the user. */
  roles: string[];
  nonce?: string;
  authTime: number;
  now: number;
}

// https://learn.microsoft.com/en-us/entra/identity-platform/id-token-claims-reference
/** An ID token: `name`/`preferred_username` with the profile scope, `roles` the user holds on the client. */
export function idTokenClaims(input: IdTokenInput): JWTPayload {
  const { state, user, now } = input;
  const claims: JWTPayload = {
    aud: input.client.appId,
    iss: input.issuer,
    iat: now,
    nbf: now,
    exp: now + 3600,
    auth_time: input.authTime,
    oid: user.id,
    sub: pairwiseSubject(state, user.id, input.client.appId),
    tid: state.tenant.id,
    uti: uti(),
    ver: "2.0",
  };
  if (input.oidcScopes.includes("profile")) {
    Object.assign(claims, { preferred_username: user.userPrincipalName, name: user.displayName });
  }
  if (input.oidcScopes.includes("email") && user.mail) claims.email = user.mail;
  const optional = configuredOptionalClaims(input.client.application?.optionalClaims, "idToken");
  Object.assign(claims, optionalUserClaims(optional, user, input.authTime));
  if (input.roles.length > 0) claims.roles = input.roles;
  if (input.nonce !== undefined) claims.nonce = input.nonce;
  return claims;
}

/** `client_info` as msal expects it: base64url JSON of the user's object id and tenant id. */
export function clientInfo(state: TenantState, user: User): string {
  return Buffer.from(JSON.stringify({ uid: user.id, utid: state.tenant.id })).toString("base64url");
}

/** Claims with `overrides` applied: a value replaces the computed one, `null` removes the claim. */
export function withOverrides(claims: JWTPayload, overrides: JWTPayload | undefined): JWTPayload {
  const merged: JWTPayload = { ...claims, ...overrides };
  for (const [name, value] of Object.entries(merged)) if (value === null) delete merged[name];
  return merged;
}

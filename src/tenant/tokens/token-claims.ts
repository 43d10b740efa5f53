import { createHmac } from "node:crypto";
import type { JWTPayload } from "jose";
import type { ClientApp, ResourceApp } from "../directory/lookups.js";
import type { ServicePrincipal, TenantState, User } from "../directory/tenant-state.js";
import { randomBase64url } from "../secrets/random-ids.js";
import { v1Issuer } from "../server/urls.js";

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
  if (user) {
    Object.assign(claims, {
      oid: user.id,
      sub: pairwiseSubject(state, user.id, resource.appId),
      name: user.displayName,
      preferred_username: user.userPrincipalName,
      scp: input.scopes.join(" "),
    });
    if (!v2) Object.assign(claims, { upn: user.userPrincipalName, unique_name: user.userPrincipalName });
  } else if (input.appPrincipal) {
    Object.assign(claims, { oid: input.appPrincipal.id, sub: input.appPrincipal.id, idtyp: "app" });
  }
  if (input.roles.length > 0) claims.roles = input.roles;
  return claims;
}

function v1Audience(input: AccessTokenInput): string {
  const named = input.resourceIdentifier;
  if (input.resource.isMicrosoftGraph) return named.includes("://") ? "https://graph.microsoft.com" : named;
  return named.includes("://") ? named : (input.resource.identifierUris[0] ?? input.resource.appId);
}

export interface IdTokenInput {
  state: TenantState;
  issuer: string;
  client: ClientApp;
  user: User;
  oidcScopes: string[];
  nonce?: string;
  authTime: number;
  now: number;
}

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
    preferred_username: user.userPrincipalName,
    name: user.displayName,
    uti: uti(),
    ver: "2.0",
  };
  if (input.oidcScopes.includes("email") && user.mail) claims.email = user.mail;
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

import { randomUUID } from "node:crypto";
import type {
  Application,
  AppRole,
  PermissionScope,
  RequiredResourceAccess,
} from "../../tenant/directory/tenant-state.js";
import { MICROSOFT_GRAPH_APP_ID } from "../well-known.js";
import { APP_ID_URI_PLACEHOLDER, type DesiredRegistration } from "./model.js";

/**
 * The application object a registration wants, as Graph request bodies: the body that creates it,
 * and the PATCHes that turn an existing application into it. Pure functions over Graph's shapes.
 */

export interface ApplicationPatch {
  reason: string;
  body: Record<string, unknown>;
}

export function graphDirectoryObject(id: string): string {
  return `https://graph.microsoft.com/v1.0/directoryObjects/${id}`;
}

/** POST /applications body: everything except what needs the appId or existing scopes. */
export function applicationCreateBody(
  desired: DesiredRegistration,
  ownerIds: string[],
): Record<string, unknown> {
  const { scopes, roles } = mergeEntitlements(desired, { scopes: [], roles: [] });
  const body: Record<string, unknown> = {
    displayName: desired.displayName,
    uniqueName: desired.uniqueName,
    signInAudience: desired.signInAudience,
    api: {
      requestedAccessTokenVersion: desired.requestedAccessTokenVersion,
      oauth2PermissionScopes: scopes.final,
    },
    appRoles: roles.final,
    web: { redirectUris: desired.redirectUris.web },
    spa: { redirectUris: desired.redirectUris.spa },
    publicClient: { redirectUris: desired.redirectUris.publicClient },
    requiredResourceAccess: requiredResourceAccess(desired, []),
  };
  if (desired.identifierUri && desired.identifierUri !== APP_ID_URI_PLACEHOLDER) {
    body.identifierUris = [desired.identifierUri];
  }
  if (desired.isFallbackPublicClient !== null) body.isFallbackPublicClient = desired.isFallbackPublicClient;
  if (desired.serviceManagementReference)
    body.serviceManagementReference = desired.serviceManagementReference;
  if (ownerIds.length > 0) body["owners@odata.bind"] = ownerIds.map(graphDirectoryObject);
  return body;
}

/**
 * The PATCHes that make `current` what `desired` asks for, in the order Graph accepts them:
 * 1. disable scopes/roles that must change or go (Graph refuses to change an enabled one),
 * 2. the properties that differ,
 * 3. pre-authorized clients, in a request of their own when they name scopes created by step 2.
 * No differences, no patches.
 */
export function applicationPatches(desired: DesiredRegistration, current: Application): ApplicationPatch[] {
  const { scopes, roles } = mergeEntitlements(desired, {
    scopes: current.api.oauth2PermissionScopes,
    roles: current.appRoles,
  });
  const patches: ApplicationPatch[] = [];
  if (scopes.mustDisable.size > 0 || roles.mustDisable.size > 0) {
    const disabled = (entry: { id: string; isEnabled: boolean }, ids: Set<string>) =>
      ids.has(entry.id) ? { ...entry, isEnabled: false } : entry;
    patches.push({
      reason: "disable the scopes and roles that change or go (Graph requires it first)",
      body: {
        api: {
          ...current.api,
          oauth2PermissionScopes: current.api.oauth2PermissionScopes.map((s) =>
            disabled(s, scopes.mustDisable),
          ),
          preAuthorizedApplications: current.api.preAuthorizedApplications
            .map((entry) => ({
              ...entry,
              delegatedPermissionIds: entry.delegatedPermissionIds.filter(
                (id) => !scopes.mustDisable.has(id),
              ),
            }))
            .filter((entry) => entry.delegatedPermissionIds.length > 0),
        },
        appRoles: current.appRoles.map((r) => disabled(r, roles.mustDisable)),
      },
    });
  }

  const identifierUris =
    desired.identifierUri === null
      ? current.identifierUris
      : [desired.identifierUri === APP_ID_URI_PLACEHOLDER ? `api://${current.appId}` : desired.identifierUri];
  const wanted: Record<string, unknown> = {
    displayName: desired.displayName,
    signInAudience: desired.signInAudience,
    identifierUris,
    appRoles: roles.final,
    web: { ...current.web, redirectUris: desired.redirectUris.web },
    spa: { ...current.spa, redirectUris: desired.redirectUris.spa },
    publicClient: { ...current.publicClient, redirectUris: desired.redirectUris.publicClient },
    requiredResourceAccess: requiredResourceAccess(desired, current.requiredResourceAccess),
  };
  if (desired.isFallbackPublicClient !== null) wanted.isFallbackPublicClient = desired.isFallbackPublicClient;
  if (desired.serviceManagementReference)
    wanted.serviceManagementReference = desired.serviceManagementReference;
  const changed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(wanted)) {
    if (!sameJson(value, (current as unknown as Record<string, unknown>)[key])) changed[key] = value;
  }

  const apiWithoutPreAuth = {
    ...current.api,
    requestedAccessTokenVersion:
      desired.requestedAccessTokenVersion ?? current.api.requestedAccessTokenVersion,
    oauth2PermissionScopes: scopes.final,
  };
  const apiChanged = !sameJson(
    { v: apiWithoutPreAuth.requestedAccessTokenVersion, s: apiWithoutPreAuth.oauth2PermissionScopes },
    { v: current.api.requestedAccessTokenVersion, s: current.api.oauth2PermissionScopes },
  );
  const preAuthorized = desired.preAuthorizedClientIds.map((appId) => ({
    appId,
    delegatedPermissionIds: scopes.final.map((scope) => scope.id),
  }));
  const preAuthChanged =
    !sameJson(sortedPreAuth(preAuthorized), sortedPreAuth(current.api.preAuthorizedApplications)) ||
    patches.length > 0;
  const newScopeIds = scopes.final.some(
    (s) => !current.api.oauth2PermissionScopes.some((c) => c.id === s.id),
  );
  const preAuthInSameRequest = preAuthChanged && !newScopeIds;

  if (apiChanged || preAuthInSameRequest) {
    changed.api = {
      ...apiWithoutPreAuth,
      preAuthorizedApplications: preAuthInSameRequest
        ? preAuthorized
        : withoutDroppedScopes(current, scopes.final),
    };
  }
  if (Object.keys(changed).length > 0) patches.push({ reason: describe(changed), body: changed });
  if (preAuthChanged && !preAuthInSameRequest) {
    patches.push({
      reason: "pre-authorize clients for the new scopes (a request of its own: the scopes must exist first)",
      body: { api: { ...apiWithoutPreAuth, preAuthorizedApplications: preAuthorized } },
    });
  }
  return patches;
}

function withoutDroppedScopes(current: Application, final: PermissionScope[]) {
  const ids = new Set(final.map((scope) => scope.id));
  return current.api.preAuthorizedApplications
    .map((entry) => ({
      ...entry,
      delegatedPermissionIds: entry.delegatedPermissionIds.filter((id) => ids.has(id)),
    }))
    .filter((entry) => entry.delegatedPermissionIds.length > 0);
}

function describe(changed: Record<string, unknown>): string {
  return `update ${Object.keys(changed).join(", ")}`;
}

interface Merged<T> {
  final: T[];
  /** Ids of enabled entries that change or disappear. */
  mustDisable: Set<string>;
}

/** Matches scopes and roles by value, keeping existing ids; new ones get fresh ids. */
function mergeEntitlements(
  desired: DesiredRegistration,
  current: { scopes: PermissionScope[]; roles: AppRole[] },
): { scopes: Merged<PermissionScope>; roles: Merged<AppRole> } {
  return {
    scopes: merge(current.scopes, desired.scopes, (existing, wanted) => ({
      id: existing?.id ?? randomUUID(),
      isEnabled: true,
      ...wanted,
    })),
    roles: merge(current.roles, desired.roles, (existing, wanted) => ({
      id: existing?.id ?? randomUUID(),
      isEnabled: true,
      ...wanted,
    })),
  };
}

function merge<
  C extends { id: string; value: string | null; isEnabled: boolean },
  D extends { value: string },
>(current: C[], desired: D[], build: (existing: C | undefined, wanted: D) => C): Merged<C> {
  const mustDisable = new Set<string>();
  const final = desired.map((wanted) => {
    const existing = current.find((entry) => entry.value === wanted.value);
    const next = build(existing, wanted);
    if (existing?.isEnabled && !sameJson(pickKeys(existing, next), next)) mustDisable.add(existing.id);
    return next;
  });
  for (const entry of current) {
    if (entry.isEnabled && !final.some((wanted) => wanted.id === entry.id)) mustDisable.add(entry.id);
  }
  return { final, mustDisable };
}

/** The keys of `shape` taken from `value` (Graph returns more properties than we set). */
function pickKeys<T extends object>(value: T, shape: object): Partial<T> {
  return Object.fromEntries(
    Object.keys(shape).map((key) => [key, (value as Record<string, unknown>)[key]]),
  ) as Partial<T>;
}

function requiredResourceAccess(desired: DesiredRegistration, current: RequiredResourceAccess[]) {
  const managed = new Set(desired.requiredResourceAccess.map((entry) => entry.resourceAppId));
  const kept = current.filter(
    (entry) => !managed.has(entry.resourceAppId) && entry.resourceAppId !== MICROSOFT_GRAPH_APP_ID,
  );
  const wanted = desired.requiredResourceAccess.map((entry) => ({
    resourceAppId: entry.resourceAppId,
    resourceAccess: [
      ...entry.scopes.map(({ id }) => ({ id, type: "Scope" })),
      ...entry.roles.map(({ id }) => ({ id, type: "Role" })),
    ],
  }));
  return [...kept, ...wanted];
}

function sortedPreAuth(entries: { appId: string; delegatedPermissionIds: string[] }[]) {
  return [...entries]
    .map((entry) => ({ appId: entry.appId.toLowerCase(), ids: [...entry.delegatedPermissionIds].sort() }))
    .sort((a, b) => a.appId.localeCompare(b.appId));
}

/** Structural equality; arrays of strings compare as sets (redirect URIs, identifier URIs). */
export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(normalise(a)) === JSON.stringify(normalise(b));
}

function normalise(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(normalise);
    return items.every((item) => typeof item === "string") ? [...(items as string[])].sort() : items;
  }
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, entry]) => entry !== undefined)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, entry]) => [key, normalise(entry)]),
    );
  }
  return value ?? null;
}

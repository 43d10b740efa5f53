import type { Application, AppRole, PermissionScope, TenantState } from "../directory/tenant-state.js";
import { badRequest, GraphError, invalidValue } from "./errors.js";

/**
 * Graph's rules for an application about to be stored, each with Graph's status, code and wording.
 * `previous` is the stored version (undefined on create); `isReplicating` says whether a scope id
 * was added so recently that Graph would not see it yet.
 */
export function validateApplication(
  state: TenantState,
  next: Application,
  previous: Application | undefined,
  isReplicating: (id: string) => boolean,
): void {
  validateIdentifierUris(state, next);
  validateRedirectUris(next);
  validateUniqueName(state, next);
  validateEntitlements(
    next.api.oauth2PermissionScopes,
    previous?.api.oauth2PermissionScopes ?? [],
    "PermissionScope",
  );
  validateEntitlements(next.appRoles, previous?.appRoles ?? [], "AppRole");
  validatePreAuthorized(next, previous, isReplicating);
  if (next.api.requestedAccessTokenVersion !== 2 && next.signInAudience.includes("Personal")) {
    throw invalidValue("api.requestedAccessTokenVersion", "Application");
  }
}

function hostOf(uri: string): URL | undefined {
  try {
    return new URL(uri);
  } catch {
    return undefined;
  }
}

function onVerifiedDomain(host: string, domain: string): boolean {
  const lower = host.toLowerCase();
  return lower === domain || lower.endsWith(`.${domain}`);
}

/**
 * Application ID URIs: the `api://` default scheme forms (`api://{appId}`, `api://{tenantId}/{appId}`,
 * `api://{tenantId}/{name}`, `api://{name}/{appId}`) or a host on the tenant's verified domains.
 */
export function identifierUriAllowed(uri: string, app: Application, state: TenantState): boolean {
  const { id: tenantId, domain } = state.tenant;
  const lower = uri.toLowerCase().replace(/\/$/, "");
  const appId = app.appId;
  if (lower === `api://${appId}` || lower === `api://${tenantId}/${appId}`) return true;
  const api = lower.match(/^api:\/\/([^/]+)\/([^/]+)$/);
  if (api && (api[1] === tenantId || api[2] === appId)) return true;
  const url = hostOf(uri);
  return url !== undefined && url.hostname !== "" && onVerifiedDomain(url.hostname, domain);
}

function validateIdentifierUris(state: TenantState, app: Application): void {
  for (const uri of app.identifierUris) {
    if (uri.length > 255 || !hostOf(uri) || /\s|\*/.test(uri))
      throw invalidValue("identifierUris", "Application");
    if (!identifierUriAllowed(uri, app, state)) {
      const message = `Values of identifierUris property must use a verified domain of the organization or its subdomain: '${uri}'`;
      throw new GraphError(400, "HostNameNotOnVerifiedDomain", message, [
        { code: "HostNameNotOnVerifiedDomain", message, target: "identifierUris" },
      ]);
    }
  }
  const mine = new Set(app.identifierUris.map((uri) => uri.toLowerCase()));
  if (mine.size !== app.identifierUris.length) throw invalidValue("identifierUris", "Application");
  const taken = state.applications.some(
    (other) => other.id !== app.id && other.identifierUris.some((uri) => mine.has(uri.toLowerCase())),
  );
  if (taken) {
    throw badRequest("Another object with the same value for property identifierUris already exists.", [
      { code: "ObjectConflict", target: "identifierUris" },
    ]);
  }
}

function isLoopback(url: URL): boolean {
  return ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname.toLowerCase());
}

/** Redirect URIs: https, or http on a loopback host; public clients may also use custom schemes. */
function validateRedirectUris(app: Application): void {
  const platforms = [
    { name: "web", uris: app.web.redirectUris, customSchemes: false },
    { name: "spa", uris: app.spa.redirectUris, customSchemes: false },
    { name: "publicClient", uris: app.publicClient.redirectUris, customSchemes: true },
  ];
  const seen = new Set<string>();
  for (const platform of platforms) {
    for (const uri of platform.uris) {
      const url = hostOf(uri);
      const scheme = url?.protocol.slice(0, -1).toLowerCase();
      const ok =
        url !== undefined &&
        uri.length <= 256 &&
        !uri.includes("*") &&
        (scheme === "https" ||
          (scheme === "http" && isLoopback(url)) ||
          (platform.customSchemes && scheme !== "http" && scheme !== "https"));
      if (!ok) throw invalidValue(platform.name, "Application");
      const key = uri.toLowerCase();
      if (seen.has(key))
        throw badRequest("Redirect URIs must have distinct values.", [
          { code: "InvalidValue", target: platform.name },
        ]);
      seen.add(key);
    }
  }
}

function validateUniqueName(state: TenantState, app: Application): void {
  if (app.uniqueName === null) return;
  if (!/^[\w.-]{1,120}$/.test(app.uniqueName)) throw invalidValue("uniqueName", "Application");
  const wanted = app.uniqueName.toLowerCase();
  if (state.applications.some((other) => other.id !== app.id && other.uniqueName?.toLowerCase() === wanted)) {
    throw new GraphError(
      409,
      "Request_MultipleObjectsWithSameKeyValue",
      "Another object with the same value for property uniqueName already exists.",
    );
  }
}

/** Printable ASCII without spaces, quotes or backslashes; not starting with a dot; at most 120. */
const ENTITLEMENT_VALUE = /^(?!\.)[!#-[\]-~]{1,120}$/;

type Entitlement = PermissionScope | AppRole;

function validateEntitlements(next: Entitlement[], previous: Entitlement[], resource: string): void {
  const ids = new Set<string>();
  const values = new Set<string>();
  for (const entitlement of next) {
    if (entitlement.value !== null && !ENTITLEMENT_VALUE.test(entitlement.value))
      throw invalidValue("value", resource);
    if (resource === "PermissionScope" && entitlement.value === null) throw invalidValue("value", resource);
    if (ids.has(entitlement.id)) throw invalidValue("id", resource);
    ids.add(entitlement.id);
    if (entitlement.value !== null) {
      const value = entitlement.value.toLowerCase();
      if (values.has(value)) throw invalidValue("value", resource);
      values.add(value);
    }
  }
  for (const before of previous) {
    if (!before.isEnabled) continue;
    const after = next.find((candidate) => candidate.id === before.id);
    // An enabled entitlement may only be disabled (nothing else changed) until a later request.
    if (!after || JSON.stringify(comparable(after)) !== JSON.stringify(comparable(before))) {
      throw new GraphError(
        400,
        "CannotDeleteOrUpdateEnabledEntitlement",
        "Permission (scope or role) cannot be deleted or updated unless disabled first.",
      );
    }
  }
}

function comparable(entitlement: Entitlement): Record<string, unknown> {
  const { isEnabled: _enabled, origin: _origin, ...rest } = entitlement as Entitlement & { origin?: string };
  return Object.fromEntries(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Pre-authorized clients may only name scopes that were already stored (and replicated) before
 * this request: scopes and their pre-authorization take two requests.
 */
function validatePreAuthorized(
  next: Application,
  previous: Application | undefined,
  isReplicating: (id: string) => boolean,
): void {
  const stored = new Set((previous?.api.oauth2PermissionScopes ?? []).map((scope) => scope.id));
  const current = new Set(next.api.oauth2PermissionScopes.map((scope) => scope.id));
  const clients = new Set<string>();
  for (const entry of next.api.preAuthorizedApplications) {
    if (clients.has(entry.appId)) throw invalidValue("api.preAuthorizedApplications", "Application");
    clients.add(entry.appId);
    for (const id of entry.delegatedPermissionIds) {
      if (!stored.has(id) || !current.has(id) || isReplicating(id)) {
        throw new GraphError(
          400,
          "InvalidValue",
          "Property api.preAuthorizedApplications.delegatedPermissionIds has a Permission Id that cannot be found in the AppPermissions sets.",
          [{ target: "api.preAuthorizedApplications.delegatedPermissionIds", code: "InvalidValue" }],
        );
      }
    }
  }
}

import { OIDC_SCOPES } from "../../entra/well-known.js";
import { AadstsError } from "../errors/protocol-error.js";
import { microsoftGraph, type ResourceApp, resourceByIdentifier } from "./lookups.js";
import type { TenantState } from "./tenant-state.js";

/** A `scope` parameter resolved the way Entra's v2 endpoint resolves it: one resource per request. */
export interface ScopeRequest {
  /** openid, profile, email, offline_access as requested. */
  oidc: string[];
  resource: ResourceApp;
  /** How the client named the resource (an Application ID URI, the appId, or Graph by default). */
  resourceIdentifier: string;
  /** Scope values on the resource (without its prefix); empty for `.default`. */
  values: string[];
  isDefault: boolean;
}

const OIDC = new Set<string>(OIDC_SCOPES);

interface ParsedScope {
  identifier: string | undefined;
  value: string;
}

function parseOne(scope: string): ParsedScope {
  const slash = scope.lastIndexOf("/");
  const hasResource = slash > 0 && (scope.includes("://") || /^[0-9a-f-]{36}\//i.test(scope));
  if (!hasResource) return { identifier: undefined, value: scope };
  return { identifier: scope.slice(0, slash), value: scope.slice(slash + 1) };
}

export function resolveScopes(
  state: TenantState,
  scopeParam: string | undefined,
  clientName: string,
): ScopeRequest {
  const requested = (scopeParam ?? "").split(/\s+/).filter(Boolean);
  if (requested.length === 0) throw new AadstsError(900144, { parameter: "scope" });
  const oidc = requested.filter((scope) => OIDC.has(scope.toLowerCase())).map((scope) => scope.toLowerCase());
  const parsed = requested.filter((scope) => !OIDC.has(scope.toLowerCase())).map(parseOne);
  const identifiers = new Set(parsed.map((scope) => (scope.identifier ?? "graph").toLowerCase()));
  if (identifiers.size > 1) throw new AadstsError(28000);

  const first = parsed[0];
  const identifier = first?.identifier;
  const resource = identifier === undefined ? microsoftGraph(state) : resourceByIdentifier(state, identifier);
  if (!resource) throw new AadstsError(500011, { resource: identifier, tenant: state.tenant.id });

  const isDefault = parsed.some((scope) => scope.value.toLowerCase() === ".default");
  const values: string[] = [];
  if (!isDefault) {
    for (const { value } of parsed) {
      const scope = resource.scopes.find((s) => s.isEnabled && s.value.toLowerCase() === value.toLowerCase());
      if (!scope) {
        throw new AadstsError(650053, { appName: clientName, scope: value, resource: resource.appId });
      }
      if (!values.includes(scope.value)) values.push(scope.value);
    }
  }
  return {
    oidc,
    resource,
    resourceIdentifier: identifier ?? "https://graph.microsoft.com",
    values,
    isDefault,
  };
}

/** How a granted scope value is written in `scope` responses and refresh-token records. */
export function qualifiedScope(
  request: Pick<ScopeRequest, "resource" | "resourceIdentifier">,
  value: string,
) {
  const short = request.resource.isMicrosoftGraph && value !== ".default";
  return short ? value : `${request.resourceIdentifier}/${value}`;
}

/**
 * RFC 8707 `resource` as Entra's v2 endpoint treats it: allowed only when it names the same API as
 * the scopes, by one of its Application ID URIs.
 */
export function checkResourceParameter(request: ScopeRequest, resourceParam: string | undefined): void {
  if (resourceParam === undefined || resourceParam === "") return;
  const matches = request.resource.identifierUris.some((uri) => uri === resourceParam);
  if (!matches) {
    throw new AadstsError(9010010, {
      resource: resourceParam,
      expected: request.resource.identifierUris[0] ?? request.resource.appId,
    });
  }
}

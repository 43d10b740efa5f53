import { OIDC_SCOPES } from "../../entra/well-known.js";

export type ScopeSource = "--scope" | "challenge" | "scopes_supported" | "omitted";

export interface ScopeChoice {
  /** Space-separated, or undefined when the request carries no scope. */
  scope?: string;
  source: ScopeSource;
  notes: string[];
}

export interface ScopeInput {
  flag?: string;
  challenge?: string;
  scopesSupported?: string[];
  /** The authorization server's `scopes_supported`: offline_access is asked for only when it lists it. */
  asScopes?: string[];
  /** Entra rules: fully qualified scopes, `.default` for app-only tokens. */
  entra: boolean;
  grant: "delegated" | "app";
  /** The PRM resource, used to qualify bare scopes for Entra. */
  resource: string;
}

const OIDC = new Set<string>(OIDC_SCOPES);

/**
 * MCP's order: --scope, else the challenge's scope, else all of PRM scopes_supported, else omitted;
 * Entra's rules on top; and offline_access (for a refresh token) when the authorization server lists
 * it in its scopes_supported (revision 2026-07-28), for delegated sign-ins.
 */
export function selectScopes(input: ScopeInput): ScopeChoice {
  const [raw, source]: [string | undefined, ScopeSource] = input.flag
    ? [input.flag, "--scope"]
    : input.challenge
      ? [input.challenge, "challenge"]
      : input.scopesSupported?.length
        ? [input.scopesSupported.join(" "), "scopes_supported"]
        : [undefined, "omitted"];
  const notes: string[] = [];
  let scopes = split(raw);
  if (input.entra) scopes = entraScopes(scopes, input, notes);
  if (scopes.length === 0 && input.entra) {
    notes.push("No scope to ask for: Entra refuses requests without one (AADSTS900144).");
  }
  const resourceScopes = scopes.filter((scope) => !OIDC.has(scope.toLowerCase()));
  if (
    input.grant === "delegated" &&
    resourceScopes.length > 0 &&
    input.asScopes?.includes("offline_access") &&
    !scopes.includes("offline_access")
  ) {
    notes.push("Added offline_access (the authorization server lists it) for a refresh token.");
    scopes = [...scopes, "offline_access"];
  }
  return { scope: scopes.length > 0 ? scopes.join(" ") : undefined, source, notes };
}

export function split(scope: string | undefined): string[] {
  return (scope ?? "").split(/\s+/).filter(Boolean);
}

/** The scopes of `wanted` that `have` lacks. */
export function missingScopes(have: string | undefined, wanted: string | undefined): string[] {
  const set = new Set(split(have).map((scope) => scope.toLowerCase()));
  return split(wanted).filter((scope) => !set.has(scope.toLowerCase()));
}

function isQualified(scope: string): boolean {
  return scope.includes("://") || /^[0-9a-f-]{36}\//i.test(scope);
}

function entraScopes(scopes: string[], input: ScopeInput, notes: string[]): string[] {
  const qualified = scopes.map((scope) => {
    if (OIDC.has(scope.toLowerCase()) || isQualified(scope)) return scope;
    const full = `${input.resource}/${scope}`;
    notes.push(
      `Qualified the bare scope "${scope}" as "${full}": Entra resolves bare scopes to Microsoft Graph.`,
    );
    return full;
  });
  if (input.grant !== "app") return qualified;
  const first = qualified.find((scope) => !OIDC.has(scope.toLowerCase()));
  const prefix = first ? first.slice(0, first.lastIndexOf("/")) : input.resource;
  const scope = `${prefix}/.default`;
  if (!first?.endsWith("/.default")) {
    notes.push(
      `App-only tokens are requested with ${scope}: Entra grants the app roles assigned to the client.`,
    );
  }
  return [scope];
}

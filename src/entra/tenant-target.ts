import { UsageError } from "../core/errors.js";

/**
 * The tenant a command works on: the dev tenant (the default) or a real Entra tenant chosen with
 * --tenant or remembered by `mcp-entra login`. Everything a command needs to talk to it.
 */
export interface TenantTarget {
  kind: "dev" | "entra";
  tenantId: string;
  /** The tenant's initial domain, when known. */
  domain?: string;
  /** https://login.microsoftonline.com, or the dev tenant's origin. */
  authorityHost: string;
  /** authorityHost/tenantId */
  authority: string;
  /** https://graph.microsoft.com, or the dev tenant's origin (it serves /v1.0 itself). */
  graphBaseUrl: string;
  /** CA certificates this target's clients must trust (the dev tenant's CA), per client. */
  caPems: string[];
  caFile?: string;
  /** How output names it, e.g. "the dev tenant (https://localhost:44331)". */
  label: string;
  /** A Microsoft Graph access token for the signed-in account (cached, refreshed as needed). */
  graphToken(): Promise<string>;
  /**
   * The dev tenant only: IDENTITY_ENDPOINT and IDENTITY_HEADER, the managed identity endpoint it
   * serves as an Azure host does, so a server run locally signs in with its managed identity.
   */
  managedIdentityHost?(): Promise<Record<string, string>>;
}

export const ENTRA_AUTHORITY_HOST = "https://login.microsoftonline.com";
export const GRAPH_BASE_URL = "https://graph.microsoft.com";

/**
 * For testing the Entra path against an Entra-compatible endpoint (such as a dev tenant, trusted
 * through NODE_EXTRA_CA_CERTS): these variables replace Entra's sign-in host and Graph's base URL.
 */
export const AUTHORITY_HOST_ENV = "MCP_ENTRA_AUTHORITY_HOST";
export const GRAPH_BASE_URL_ENV = "MCP_ENTRA_GRAPH_BASE_URL";

/** Where Entra sign-ins go: https://login.microsoftonline.com unless MCP_ENTRA_AUTHORITY_HOST says otherwise. */
export function entraAuthorityHost(env: NodeJS.ProcessEnv = process.env): string {
  return overridden(env, AUTHORITY_HOST_ENV) ?? ENTRA_AUTHORITY_HOST;
}

/** Microsoft Graph's base URL (without /v1.0), unless MCP_ENTRA_GRAPH_BASE_URL says otherwise. */
export function entraGraphBaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return overridden(env, GRAPH_BASE_URL_ENV) ?? GRAPH_BASE_URL;
}

function overridden(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  if (!value) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== "https:" || url.search || url.hash) {
    throw new UsageError(
      "INVALID_ENVIRONMENT",
      `${name}: must be an https URL such as https://login.microsoftonline.com.`,
      {
        suggestion: `unset ${name} to use Entra ID, or set it to the https origin of an Entra-compatible endpoint.`,
      },
    );
  }
  return url.href.replace(/\/+$/, "");
}

/**
 * Delegated Graph permissions `register` needs (the reference's "what a registering user needs"): the
 * first three need an administrator's consent. A bootstrap app (`login --create-app`) asks for exactly these.
 */
export const REGISTER_GRAPH_PERMISSIONS = [
  "Application.ReadWrite.All",
  "DelegatedPermissionGrant.ReadWrite.All",
  "AppRoleAssignment.ReadWrite.All",
  "User.Read",
];

/** The same permissions as scopes a sign-in asks for. */
export const REGISTER_GRAPH_SCOPES = REGISTER_GRAPH_PERMISSIONS.map((value) => `${GRAPH_BASE_URL}/${value}`);

/** App-only callers ask for Graph's application permissions as a whole. */
export const GRAPH_DEFAULT_SCOPE = "https://graph.microsoft.com/.default";

/**
 * Reuses a Graph token until five minutes before it expires: a command makes many Graph calls and
 * each would otherwise go through msal's file cache again.
 */
export function reuseToken(
  acquire: () => Promise<{ accessToken: string; expiresOn: Date | null }>,
): () => Promise<string> {
  let held: { accessToken: string; until: number } | undefined;
  return async () => {
    if (held && held.until > Date.now()) return held.accessToken;
    const { accessToken, expiresOn } = await acquire();
    held = { accessToken, until: (expiresOn?.getTime() ?? 0) - 5 * 60_000 };
    return accessToken;
  };
}

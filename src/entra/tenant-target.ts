import { decodeJwt } from "jose";

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
}

export const ENTRA_AUTHORITY_HOST = "https://login.microsoftonline.com";
export const GRAPH_BASE_URL = "https://graph.microsoft.com";

/** Delegated Graph permissions `register` needs (the reference's "what a registering user needs"). */
export const REGISTER_GRAPH_SCOPES = [
  "https://graph.microsoft.com/Application.ReadWrite.All",
  "https://graph.microsoft.com/DelegatedPermissionGrant.ReadWrite.All",
  "https://graph.microsoft.com/AppRoleAssignment.ReadWrite.All",
  "https://graph.microsoft.com/User.Read",
];

/** App-only callers ask for Graph's application permissions as a whole. */
export const GRAPH_DEFAULT_SCOPE = "https://graph.microsoft.com/.default";

/**
 * A token source that asks once and reuses the token while it has more than five minutes left:
 * msal's own cache is a file read and a silent refresh check per call, which a Graph call per
 * request would otherwise pay every time.
 */
export function reuseToken(fetchToken: () => Promise<string>): () => Promise<string> {
  let cached: { token: string; expiresAt: number } | undefined;
  return async () => {
    if (cached && cached.expiresAt - Date.now() > 5 * 60_000) return cached.token;
    const token = await fetchToken();
    const { exp } = decodeJwt(token);
    cached = { token, expiresAt: typeof exp === "number" ? exp * 1000 : 0 };
    return token;
  };
}

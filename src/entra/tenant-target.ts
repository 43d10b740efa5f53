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

/**
 * The failures MCP clients meet most with Entra-protected servers that are not AADSTS errors, keyed by
 * the error codes test-flow reports them with: the cause, the part of the registration (or the server's
 * configuration) involved, and the mcp-entra command that fixes it. `explain` and test-flow's report
 * show them next to the AADSTS explanations.
 */
export interface McpFailureEntry {
  code: string;
  error: string;
  message: string;
  cause: string;
  field?: string;
  fix?: string;
}

const entries: McpFailureEntry[] = [
  {
    code: "PRM_RESOURCE_MISMATCH",
    error: "invalid_resource_metadata",
    message: "The protected resource metadata names another resource than the server the client talks to.",
    cause:
      "The server publishes PRM `resource` from a URL that is not the one clients use (http instead of https, a trailing slash, an internal host behind a proxy); spec-conformant clients refuse it.",
    field: "MCP_SERVER_URL (.env) / identifierUris",
    fix: "set MCP_SERVER_URL to the public URL, then mcp-entra register --server-url <the same url> (its Application ID URI follows when it is https on a verified domain)",
  },
  {
    code: "TOKEN_REJECTED",
    error: "invalid_token",
    message: "The server answered 401 to the token the authorization server issued.",
    cause:
      "The token's shape is not what the server validates: most often a v1 token (aud = the Application ID URI, iss https://sts.windows.net/<tenant>/) where the server expects v2 (aud = the API's client id), or a token for another API or tenant.",
    field: "api.requestedAccessTokenVersion / ENTRA_CLIENT_ID and ENTRA_TENANT_ID (.env)",
    fix: "mcp-entra register --token-version 2, and check .env with mcp-entra doctor",
  },
  {
    code: "INSUFFICIENT_SCOPE",
    error: "insufficient_scope",
    message:
      "The server needs a scope or app role the token does not carry, and this sign-in cannot ask for more.",
    cause:
      "App-only tokens carry the app roles assigned to the client's service principal, not scopes: the client holds none of the roles the tool accepts.",
    field: "appRoleAssignments of the client's service principal",
    fix: "mcp-entra register --preset ci --ci-role <role the tool needs>",
  },
  {
    code: "STEP_UP_LIMIT",
    error: "insufficient_scope",
    message: "The server kept answering 403 insufficient_scope after new authorizations.",
    cause:
      "The authorization server does not grant the scope the server asks for: it is not exposed by the API, not consented, or the server's challenge names a scope that does not exist.",
    field: "api.oauth2PermissionScopes / MCP_SCOPE (.env)",
    fix: "mcp-entra register --scope <name> (exposes it), and let MCP_SCOPE name it fully qualified",
  },
];

export const MCP_FAILURES = new Map(entries.map((entry) => [entry.code, entry]));

/** Accepts the code in any case. */
export function lookupMcpFailure(code: string): McpFailureEntry | undefined {
  return MCP_FAILURES.get(code.trim().toUpperCase());
}

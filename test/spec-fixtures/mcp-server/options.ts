/** What a protected MCP server needs of an authorization server: its issuer (listed in PRM) and its keys. */
export interface AuthorizationServerRef {
  issuer: string;
  jwksUri: string;
}

/** The PRM `resource` (RFC 9728 §2), relative to the server URL `http://host:port/a/mcp`. */
export type ResourceForm =
  /** The server URL itself. */
  | "server-url"
  /** `http://host:port` (a root PRM's resource; a same-origin parent). */
  | "origin"
  /** `http://host:port/a`, the parent path (a same-origin parent). */
  | "parent-path"
  /** Another origin, same path (invalid: another server's metadata). */
  | "other-origin"
  /** A sibling path on the same origin, `http://host:port/other-mcp` (invalid: not a parent). */
  | "other-path"
  /** A child of the server URL, `…/mcp/child` (invalid: more specific than the server). */
  | "child-path"
  | { literal: string };

/** A token check a careless server skips (probe targets). */
export type TokenCheck = "signature" | "alg-none" | "issuer" | "expiry" | "audience";

/** An invalid `x-mcp-header` declaration (server/tools.mdx, "x-mcp-header" constraints). */
export type MalformedHeaderKind = "number-type" | "duplicate" | "in-array" | "invalid-token" | "empty";

export interface McpServerOptions {
  /** Protocol revisions served: only 2026-07-28, only 2025-11-25, or both. Default "2026-07-28". */
  eras?: "2026-07-28" | "2025-11-25" | "both";
  /** Path of the MCP endpoint. Default "/mcp". */
  path?: string;
  /** The authorization servers the PRM lists; absent: no authorization at all. */
  authorizationServers?: AuthorizationServerRef[];
  /**
   * "every-request" (default): every HTTP request needs a valid token. "lazy": server/discover,
   * initialize and notifications pass without one; tools/list and tools/call answer 401 with `scope`.
   */
  auth?: "every-request" | "lazy";
  prm?: {
    /** Well-known PRM locations (authorization-server-discovery.mdx). Default "path-aware". */
    wellKnown?: "path-aware" | "root" | "both" | "none";
    /** `resource_metadata` in challenges (RFC 9728 §5.1); with wellKnown "none" it points at a non-well-known URL. Default true. */
    inChallenge?: boolean;
    /** Default "server-url". */
    resource?: ResourceForm;
    /** PRM `scopes_supported`. Default [requiredScope]. */
    scopesSupported?: string[];
  };
  /** The scope every authorized request needs, named in 401 challenges. Default "mcp:read". */
  requiredScope?: string;
  /** Put `scope` in 401 challenges (authorization/index.mdx, "Scope Selection Strategy"). Default true. */
  challengeScope?: boolean;
  /** The step-up tool (`admin_reset`): needs `scope` besides requiredScope. */
  stepUp?: {
    /** Default "mcp:write". */
    scope?: string;
    /** The 403's `scope`: only the operation's extra scope (default) or every scope it needs. */
    challenge?: "operation" | "all-required";
    /** Keep answering 403 insufficient_scope whatever the token holds (a client's attempt limit). */
    refuseAlways?: boolean;
  };
  /** "strict" (default) validates signature (JWKS of a listed AS), alg, iss, exp and aud; "careless" skips all. */
  tokenValidation?: "strict" | "careless" | { skip: TokenCheck[] };
  /** The malformed tools listed beside the valid ones. Default ["number-type"]. */
  malformedHeaderTools?: MalformedHeaderKind[];
  /** Check MCP-Protocol-Version, Mcp-Method, Mcp-Name and Mcp-Param-* against the body (streamable-http.mdx). Default true. */
  headerValidation?: boolean;
  /** Input rounds of the multi-round-trip tool before it completes. Default 2. */
  inputRounds?: 1 | 2;
  /** The clock, in milliseconds. Default Date.now. */
  now?: () => number;
}

export interface McpRequestRecord {
  httpMethod: string;
  path: string;
  /** "modern" when the body carries the per-request `_meta` protocol version, "legacy" otherwise. */
  era: "modern" | "legacy" | "none";
  rpcMethod?: string;
  rpcId?: unknown;
  /** `params.name` or `params.uri` of the body. */
  rpcName?: string;
  headers: {
    protocolVersion?: string;
    mcpMethod?: string;
    mcpName?: string;
    sessionId?: string;
    /** `Mcp-Param-*` headers by lower-case name, raw as received. */
    params: Record<string, string>;
  };
  token: "none" | "valid" | "invalid";
  tokenError?: string;
  tokenClaims?: Record<string, unknown>;
  /** Why the fixture answered as it did before the MCP SDK saw the request, if it did. */
  refusal?: "unauthorized" | "insufficient_scope" | "header_mismatch" | "token_in_query" | "origin";
  wwwAuthenticate?: string;
  status: number;
}

export interface HeaderCheckRecord {
  tool: string;
  /** Header name (lower case) → the value the body implies, before encoding. */
  expected: Record<string, string>;
  /** Header name (lower case) → the decoded value received. */
  received: Record<string, string>;
  problems: string[];
}

export interface InputRoundRecord {
  era: "modern" | "legacy";
  round: number;
  /** The requestState received, verbatim, and whether it is byte for byte one the server minted. */
  requestState?: string;
  echoedExactly?: boolean;
  inputResponses?: unknown;
  answer: "input_required" | "complete" | "rejected";
}

export interface McpServerRecords {
  requests: McpRequestRecord[];
  prm: Array<{ path: string; status: number }>;
  headerChecks: HeaderCheckRecord[];
  toolCalls: Array<{ name: string; arguments: unknown; era: "modern" | "legacy" }>;
  inputRounds: InputRoundRecord[];
}

import type { McpServerOptions, ResourceForm } from "./options.js";

const WELL_KNOWN = "/.well-known/oauth-protected-resource";
/** Where the PRM is served when no well-known location is: only the challenge leads there. */
const CHALLENGE_ONLY_PATH = "/metadata/protected-resource.json";

export interface ProtectedResourceLayout {
  /** The PRM `resource` value. */
  resource: string;
  /** Paths serving the PRM document, by kind. */
  paths: { pathAware?: string; root?: string; challengeOnly?: string };
  /** The `resource_metadata` of challenges, if any. */
  resourceMetadataUrl?: string;
}

/** RFC 9728 §3.1 and authorization-server-discovery.mdx: path-aware and root well-known locations. */
export function protectedResourceLayout(
  origin: string,
  path: string,
  options: McpServerOptions["prm"] = {},
): ProtectedResourceLayout {
  const wellKnown = options.wellKnown ?? "path-aware";
  const paths: ProtectedResourceLayout["paths"] = {};
  if (wellKnown === "path-aware" || wellKnown === "both") paths.pathAware = `${WELL_KNOWN}${path}`;
  if (wellKnown === "root" || wellKnown === "both") paths.root = WELL_KNOWN;
  const inChallenge = options.inChallenge ?? true;
  if (wellKnown === "none") {
    if (!inChallenge)
      throw new Error("a PRM neither at a well-known location nor in the challenge cannot be found");
    paths.challengeOnly = CHALLENGE_ONLY_PATH;
  }
  const first = paths.pathAware ?? paths.root ?? paths.challengeOnly;
  return {
    resource: resourceValue(origin, path, options.resource ?? "server-url"),
    paths,
    resourceMetadataUrl: inChallenge ? `${origin}${first}` : undefined,
  };
}

function resourceValue(origin: string, path: string, form: ResourceForm): string {
  if (typeof form === "object") return form.literal;
  switch (form) {
    case "server-url":
      return `${origin}${path}`;
    case "origin":
      return origin;
    case "parent-path": {
      const parent = path.slice(0, path.lastIndexOf("/"));
      if (parent === "") throw new Error(`the endpoint path ${path} has no parent path; use path "/api/mcp"`);
      return `${origin}${parent}`;
    }
    case "other-origin":
      return `http://other-resource.invalid${path}`;
    case "other-path":
      return `${origin}/other-mcp`;
    case "child-path":
      return `${origin}${path}/child`;
  }
}

/** The PRM document (RFC 9728 §2; authorization_servers is REQUIRED by the MCP spec). */
export function protectedResourceDocument(
  resource: string,
  issuers: string[],
  scopes: string[],
): Record<string, unknown> {
  return {
    resource,
    authorization_servers: issuers,
    scopes_supported: scopes,
    bearer_methods_supported: ["header"],
    resource_name: "spec fixture MCP server",
  };
}

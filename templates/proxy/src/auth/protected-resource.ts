import type { Config } from "../config.js";
import { proxyEndpoints } from "../oauth-proxy/endpoints.js";

const WELL_KNOWN = "/.well-known/oauth-protected-resource";

/**
 * Where Protected Resource Metadata (RFC 9728) is served: the path-aware URL for the MCP endpoint
 * (e.g. /.well-known/oauth-protected-resource/mcp) and the root one.
 */
export function metadataPaths(serverUrl: string): { pathAware: string; root: string } {
  const path = new URL(serverUrl).pathname.replace(/\/+$/, "");
  return { pathAware: `${WELL_KNOWN}${path}`, root: WELL_KNOWN };
}

/** The URL clients are sent to in WWW-Authenticate: the path-aware metadata of this server. */
export function metadataUrl(serverUrl: string): string {
  return new URL(metadataPaths(serverUrl).pathAware, serverUrl).href;
}

export function protectedResourceMetadata(config: Config) {
  return {
    resource: config.serverUrl,
    // The OAuth proxy on this server's origin, not Entra: clients find registration (DCR) and Client
    // ID Metadata Document support there, which Entra lacks. Tokens still come from Entra.
    authorization_servers: [proxyEndpoints(config).issuer],
    scopes_supported: [config.scope],
    bearer_methods_supported: ["header"],
  };
}

export interface Challenge {
  error?: "invalid_token" | "invalid_request" | "insufficient_scope";
  description?: string;
  scope: string;
}

/** A `WWW-Authenticate: Bearer ...` value as the MCP authorization spec asks for. */
export function bearerChallenge(serverUrl: string, challenge: Challenge): string {
  const params: [string, string | undefined][] = [
    ["resource_metadata", metadataUrl(serverUrl)],
    ["scope", challenge.scope],
    ["error", challenge.error],
    ["error_description", challenge.description],
  ];
  return `Bearer ${params
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => `${name}="${value.replace(/["\\]/g, "")}"`)
    .join(", ")}`;
}

import type { Config } from "../config.js";

/**
 * The proxy's URLs. Its issuer is the origin of MCP_SERVER_URL, so the server and its
 * authorization server share a host: clients that find `authorization_servers` in the Protected
 * Resource Metadata come here for discovery, registration and sign-in.
 */
export function proxyEndpoints(config: Pick<Config, "serverUrl">) {
  const issuer = new URL(config.serverUrl).origin;
  return {
    issuer,
    authorize: `${issuer}/authorize`,
    token: `${issuer}/token`,
    register: `${issuer}/register`,
    /** This server's web redirect URI at Entra (the `proxy` register preset adds exactly this). */
    callback: `${issuer}/oauth/callback`,
    /** The proxy's own page where a user allows a client (consent-endpoint.ts). */
    consent: `${issuer}/oauth/consent`,
  };
}

/**
 * What the proxy asks Entra for: the API's fully qualified scope (Entra resolves a bare scope to
 * Microsoft Graph), offline_access for a refresh token the proxy can wrap, and openid profile:
 * without profile, Entra's v2 token does not name the user (preferred_username), and the consent
 * page could only show an object id.
 */
export function entraScope(config: Pick<Config, "scope">): string {
  return `${config.scope} openid profile offline_access`;
}

/**
 * The RFC 8707 `resource` parameter towards Entra. Entra's v2 endpoint accepts it only when it
 * equals the Application ID URI of the API the scopes belong to (AADSTS9010010 otherwise), so the
 * proxy sends it only in that setup — the Application ID URI is the canonical server URL — and
 * leaves it out otherwise. Clients still send `resource` to the proxy, which checks it itself.
 */
export function entraResource(config: Pick<Config, "appIdUri" | "serverUrl">): string | undefined {
  return config.appIdUri === config.serverUrl ? config.serverUrl : undefined;
}

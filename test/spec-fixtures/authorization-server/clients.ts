import type { JWK } from "jose";
import type { PreRegisteredClient, TokenEndpointAuthMethod } from "./options.js";

export interface RegisteredClient {
  client_id: string;
  client_secret?: string;
  token_endpoint_auth_method: TokenEndpointAuthMethod;
  redirect_uris: string[];
  grant_types: string[];
  scope?: string;
  jwks?: { keys: JWK[] };
  application_type?: string;
  source: "pre-registered" | "dynamic" | "metadata-document";
}

export const SUPPORTED_AUTH_METHODS: TokenEndpointAuthMethod[] = [
  "none",
  "client_secret_basic",
  "client_secret_post",
  "private_key_jwt",
];

export const JWT_BEARER_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";
export const SUPPORTED_GRANTS = [
  "authorization_code",
  "refresh_token",
  "client_credentials",
  JWT_BEARER_GRANT,
];

/** Clients by client_id: pre-registered, registered through DCR, or read from a metadata document. */
export class ClientRegistry {
  private readonly byId = new Map<string, RegisteredClient>();

  constructor(preRegistered: PreRegisteredClient[] = []) {
    for (const client of preRegistered) this.add(fromPreRegistered(client));
  }

  add(client: RegisteredClient): void {
    this.byId.set(client.client_id, client);
  }

  get(clientId: string): RegisteredClient | undefined {
    return this.byId.get(clientId);
  }
}

function fromPreRegistered(client: PreRegisteredClient): RegisteredClient {
  const method =
    client.token_endpoint_auth_method ??
    (client.jwks ? "private_key_jwt" : client.client_secret ? "client_secret_basic" : "none");
  return {
    client_id: client.client_id,
    client_secret: client.client_secret,
    token_endpoint_auth_method: method,
    redirect_uris: client.redirect_uris ?? [],
    grant_types:
      client.grant_types ?? (method === "none" ? ["authorization_code", "refresh_token"] : SUPPORTED_GRANTS),
    scope: client.scope,
    jwks: client.jwks,
    application_type: client.application_type,
    source: "pre-registered",
  };
}

export function isLoopbackHost(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/**
 * Whether a redirect URI presented in an authorization request matches a registered one: exact string
 * match (security-considerations.mdx, "Open Redirection"), except that the port of a loopback IP literal
 * may differ (RFC 8252 §7.3, OAuth 2.1 §8.4.2: "MUST allow any port to be specified at the time of the request").
 */
export function redirectUriMatches(presented: string, registered: string[]): boolean {
  if (registered.includes(presented)) return true;
  const withoutPort = (uri: string) => {
    const url = safeUrl(uri);
    if (url?.protocol !== "http:" || !/^(127\.\d+\.\d+\.\d+|\[::1\])$/.test(url.hostname)) return undefined;
    return `${url.protocol}//${url.hostname}${url.pathname}${url.search}`;
  };
  const presentedKey = withoutPort(presented);
  return presentedKey !== undefined && registered.some((uri) => withoutPort(uri) === presentedKey);
}

export function safeUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

import type { JWK } from "jose";
import type { IssuerForm } from "../issuer-variants.js";

/** A client the authorization server knows before any request (RFC 7591 §2 metadata names). */
export interface PreRegisteredClient {
  client_id: string;
  /** For client_secret_basic / client_secret_post. */
  client_secret?: string;
  /** Default "none" without a secret or keys, "client_secret_basic" with a secret, "private_key_jwt" with jwks. */
  token_endpoint_auth_method?: TokenEndpointAuthMethod;
  /** Public keys for private_key_jwt (RFC 7523 §2.2), e.g. an RS256 and an ES256 key. */
  jwks?: { keys: JWK[] };
  redirect_uris?: string[];
  grant_types?: string[];
  /** Scopes this client may be granted by client_credentials; absent: any known scope. */
  scope?: string;
  application_type?: string;
}

export type TokenEndpointAuthMethod =
  | "none"
  | "client_secret_basic"
  | "client_secret_post"
  | "private_key_jwt";

/** An external issuer whose JWTs the RFC 7523 jwt-bearer grant accepts (workload identity federation). */
export interface TrustedAssertionIssuer {
  issuer: string;
  /** Its public keys (the external issuer's JWKS). */
  jwks: { keys: JWK[] };
  /** The `aud` the assertion must carry; default: this AS's issuer or token endpoint (RFC 7523 §3 item 3). */
  audience?: string;
  /** When set, only this `sub` is accepted. */
  subject?: string;
}

export interface AuthorizationServerOptions {
  /** Path of the issuer identifier, e.g. "/tenant1" (RFC 8414 §3.1 path insertion). Default: none. */
  issuerPath?: string;
  /** Where to listen: default 127.0.0.1 on a free port; "default-port" for an issuer without a port. */
  listen?: { host?: string; port?: number } | "default-port";
  /** Which metadata documents are served (RFC 8414 §3.1, §5; OIDC Discovery §4). Default "oauth". */
  discovery?: "oauth" | "openid" | "both";
  /** The `issuer` inside the metadata documents. Default "exact". */
  metadataIssuer?: IssuerForm;
  /** `authorization_response_iss_parameter_supported` in metadata (RFC 9207 §2.3). Default true. */
  advertiseIssParameter?: boolean;
  /** `iss` in authorization responses, success and error (RFC 9207 §2). Default "exact". */
  issParameter?: IssuerForm | "omit";
  /** `scopes_supported`, before offline_access. Default ["mcp:read", "mcp:write"]. */
  scopes?: string[];
  /** List `offline_access` in `scopes_supported`. Default false. */
  offlineAccess?: boolean;
  /** A requested scope the AS does not know: "reject" (invalid_scope, RFC 6749 §4.1.2.1) or "ignore". Default "reject". */
  unknownScopes?: "reject" | "ignore";
  /** When refresh tokens are issued. Default "offline_access" when offlineAccess, else "always". */
  refreshTokens?: "always" | "offline_access" | "never";
  /** Serve a `registration_endpoint` (RFC 7591). Default true. */
  dynamicRegistration?: boolean;
  /** Apply OIDC Registration's redirect URI rules per `application_type` (web: https, no localhost; native: http loopback or custom scheme). Default false. */
  enforceApplicationType?: boolean;
  /** Advertise and accept Client ID Metadata Documents; `allowHttp` lets loopback http URLs be client ids. Default false. */
  clientIdMetadataDocuments?: boolean | { allowHttp: boolean };
  /** "S256" (default): PKCE with S256 required and advertised; "not-advertised": `code_challenge_methods_supported` omitted. */
  pkce?: "S256" | "not-advertised";
  /** Refuse authorization and token requests without `resource` (invalid_target, RFC 8707 §2). Default true. */
  requireResource?: boolean;
  /** Resources the AS issues tokens for; absent: any absolute URI without fragment. */
  resources?: string[];
  clients?: PreRegisteredClient[];
  trustedAssertionIssuers?: TrustedAssertionIssuer[];
  /** Access token signing algorithm. Default "RS256". */
  signingAlgorithm?: "RS256" | "ES256";
  /** Access token lifetime in seconds. Default 3600. */
  accessTokenLifetime?: number;
  /** The clock, in milliseconds. Default Date.now. */
  now?: () => number;
}

/** What a client sent, and what the AS answered. */
export interface MetadataRequestRecord {
  path: string;
  status: number;
}
export interface RegistrationRecord {
  body: unknown;
  status: number;
  error?: string;
  client_id?: string;
}
export interface AuthorizationRecord {
  params: Record<string, string>;
  /** The redirect the AS answered with, or undefined when it refused to redirect. */
  redirect?: string;
  status: number;
  error?: string;
}
export interface TokenRecord {
  /** Form parameters as sent (values of secrets included: these records never leave the test process). */
  params: Record<string, string>;
  grant_type: string;
  /** How the client authenticated (RFC 6749 §2.3, RFC 7523 §2.2). */
  client_auth: TokenEndpointAuthMethod | "multiple";
  client_id?: string;
  status: number;
  error?: string;
  /** Claims of the issued access token. */
  issued?: Record<string, unknown>;
  refresh_token_issued?: boolean;
}
export interface ClientMetadataFetchRecord {
  url: string;
  status: number;
  error?: string;
}

export interface AuthorizationServerRecords {
  metadata: MetadataRequestRecord[];
  jwks: number;
  registrations: RegistrationRecord[];
  authorizations: AuthorizationRecord[];
  tokens: TokenRecord[];
  clientMetadataFetches: ClientMetadataFetchRecord[];
}

export function emptyRecords(): AuthorizationServerRecords {
  return {
    metadata: [],
    jwks: 0,
    registrations: [],
    authorizations: [],
    tokens: [],
    clientMetadataFetches: [],
  };
}

export const DEFAULT_SCOPES = ["mcp:read", "mcp:write"];

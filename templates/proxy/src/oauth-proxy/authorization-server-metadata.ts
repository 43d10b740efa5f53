import type { Config } from "../config.js";
import { proxyEndpoints } from "./endpoints.js";

/**
 * RFC 8414 metadata of the proxy, served at /.well-known/oauth-authorization-server. No OpenID
 * Connect discovery document: the proxy issues no ID tokens, and clients look for this one first.
 */
export function authorizationServerMetadata(config: Config) {
  const endpoints = proxyEndpoints(config);
  return {
    issuer: endpoints.issuer,
    authorization_endpoint: endpoints.authorize,
    token_endpoint: endpoints.token,
    registration_endpoint: endpoints.register,
    scopes_supported: [config.scope],
    response_types_supported: ["code"],
    response_modes_supported: ["query"],
    grant_types_supported: ["authorization_code", "refresh_token"],
    code_challenge_methods_supported: ["S256"],
    token_endpoint_auth_methods_supported: ["none", "client_secret_post", "client_secret_basic"],
    client_id_metadata_document_supported: true,
    authorization_response_iss_parameter_supported: true,
  };
}

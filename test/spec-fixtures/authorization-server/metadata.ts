import { issuerVariant } from "../issuer-variants.js";
import { JWT_BEARER_GRANT, SUPPORTED_AUTH_METHODS } from "./clients.js";
import type { AsContext } from "./context.js";

/**
 * The paths at which the metadata document is served for an issuer with path `issuerPath` ("" for none):
 * RFC 8414 §3.1 inserts `/.well-known/oauth-authorization-server` between host and path; RFC 8414 §5 does
 * the same with `openid-configuration`; OIDC Discovery §4 appends `/.well-known/openid-configuration` to the
 * issuer. The MCP client tries them in that order (authorization-server-discovery.mdx).
 */
export function metadataPaths(issuerPath: string, discovery: "oauth" | "openid" | "both"): string[] {
  const paths: string[] = [];
  if (discovery !== "openid") paths.push(`/.well-known/oauth-authorization-server${issuerPath}`);
  if (discovery !== "oauth") {
    paths.push(`/.well-known/openid-configuration${issuerPath}`);
    if (issuerPath !== "") paths.push(`${issuerPath}/.well-known/openid-configuration`);
  }
  return paths;
}

/** The metadata document (RFC 8414 §2, RFC 9207 §2.3, OIDC Discovery §3, client-registration.mdx for CIMD). */
export function metadataDocument(context: AsContext): Record<string, unknown> {
  const { options, endpoints } = context;
  const openid = (options.discovery ?? "oauth") !== "oauth";
  const document: Record<string, unknown> = {
    issuer: issuerVariant(context.issuer, options.metadataIssuer ?? "exact"),
    authorization_endpoint: endpoints.authorization,
    token_endpoint: endpoints.token,
    jwks_uri: endpoints.jwks,
    scopes_supported: context.scopesSupported,
    response_types_supported: ["code"],
    response_modes_supported: ["query"],
    grant_types_supported: ["authorization_code", "refresh_token", "client_credentials", JWT_BEARER_GRANT],
    token_endpoint_auth_methods_supported: SUPPORTED_AUTH_METHODS,
    token_endpoint_auth_signing_alg_values_supported: ["RS256", "ES256"],
  };
  if (endpoints.registration) document.registration_endpoint = endpoints.registration;
  if ((options.pkce ?? "S256") === "S256") document.code_challenge_methods_supported = ["S256"];
  if (options.advertiseIssParameter ?? true) document.authorization_response_iss_parameter_supported = true;
  if (options.clientIdMetadataDocuments) document.client_id_metadata_document_supported = true;
  if (openid) {
    document.subject_types_supported = ["public"];
    document.id_token_signing_alg_values_supported = [context.signer.alg];
  }
  return document;
}

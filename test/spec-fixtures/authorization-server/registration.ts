import { randomUUID } from "node:crypto";
import type { JWK } from "jose";
import {
  isLoopbackHost,
  type RegisteredClient,
  SUPPORTED_AUTH_METHODS,
  SUPPORTED_GRANTS,
  safeUrl,
} from "./clients.js";
import { type AsContext, OAuthFailure } from "./context.js";
import type { TokenEndpointAuthMethod } from "./options.js";
import { opaqueSecret } from "./signer.js";

/**
 * Dynamic Client Registration (RFC 7591 §3): validates the client metadata, registers the client and
 * answers 201 with the registered metadata, or throws the §3.2.2 error.
 */
export function register(context: AsContext, body: unknown): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new OAuthFailure("invalid_client_metadata", "the body must be a JSON object (RFC 7591 §3.1)");
  }
  const metadata = body as Record<string, unknown>;
  const method = (metadata.token_endpoint_auth_method ?? "client_secret_basic") as TokenEndpointAuthMethod;
  if (!SUPPORTED_AUTH_METHODS.includes(method)) {
    throw new OAuthFailure(
      "invalid_client_metadata",
      `token_endpoint_auth_method ${String(method)} is not supported`,
    );
  }
  const grants = stringList(metadata.grant_types, "grant_types") ?? ["authorization_code"];
  const responseTypes = stringList(metadata.response_types, "response_types") ?? ["code"];
  const unknownGrant = grants.find((grant) => !SUPPORTED_GRANTS.includes(grant));
  if (unknownGrant)
    throw new OAuthFailure("invalid_client_metadata", `grant type ${unknownGrant} is not supported`);
  if (responseTypes.some((type) => type !== "code")) {
    throw new OAuthFailure("invalid_client_metadata", "only the response type code is supported");
  }
  if (grants.includes("authorization_code") !== responseTypes.includes("code")) {
    // RFC 7591 §2.1: authorization_code goes with the response type code, and the other way round.
    throw new OAuthFailure(
      "invalid_client_metadata",
      "grant_types and response_types are inconsistent (RFC 7591 §2.1)",
    );
  }
  if (metadata.jwks !== undefined && metadata.jwks_uri !== undefined) {
    throw new OAuthFailure(
      "invalid_client_metadata",
      "jwks and jwks_uri MUST NOT both be present (RFC 7591 §2)",
    );
  }
  const jwks = keySet(metadata.jwks);
  if (method === "private_key_jwt" && !jwks) {
    throw new OAuthFailure(
      "invalid_client_metadata",
      "private_key_jwt needs jwks (this AS does not fetch jwks_uri)",
    );
  }
  const applicationType = metadata.application_type;
  if (applicationType !== undefined && applicationType !== "web" && applicationType !== "native") {
    throw new OAuthFailure(
      "invalid_client_metadata",
      "application_type is web or native (OIDC Registration §2)",
    );
  }
  const redirectUris = stringList(metadata.redirect_uris, "redirect_uris", "invalid_redirect_uri") ?? [];
  if (grants.includes("authorization_code") && redirectUris.length === 0) {
    throw new OAuthFailure(
      "invalid_redirect_uri",
      "redirect_uris is required for the authorization_code grant",
    );
  }
  for (const uri of redirectUris)
    checkRedirectUri(uri, context.options.enforceApplicationType ? (applicationType ?? "web") : undefined);
  const client: RegisteredClient = {
    client_id: `dcr-${randomUUID()}`,
    client_secret:
      method === "client_secret_basic" || method === "client_secret_post" ? opaqueSecret() : undefined,
    token_endpoint_auth_method: method,
    redirect_uris: redirectUris,
    grant_types: grants,
    scope: typeof metadata.scope === "string" ? metadata.scope : undefined,
    jwks,
    application_type: typeof applicationType === "string" ? applicationType : undefined,
    source: "dynamic",
  };
  context.clients.add(client);
  const issuedAt = Math.floor(context.now() / 1000);
  return {
    ...metadata,
    client_id: client.client_id,
    client_id_issued_at: issuedAt,
    ...(client.client_secret ? { client_secret: client.client_secret, client_secret_expires_at: 0 } : {}),
    token_endpoint_auth_method: method,
    grant_types: grants,
    response_types: responseTypes,
    redirect_uris: redirectUris,
  };
}

/**
 * A redirect URI is absolute without fragment (RFC 6749 §3.1.2) and is localhost or https
 * (security-considerations.mdx, "Communication Security"). With `applicationType`, OIDC Registration §2
 * also applies: web clients use https and not localhost, native clients http loopback or a custom scheme.
 */
function checkRedirectUri(uri: string, applicationType: unknown): void {
  const url = safeUrl(uri);
  if (url?.hash !== "" || uri.includes("#")) {
    throw new OAuthFailure("invalid_redirect_uri", `${uri} is not an absolute URI without fragment`);
  }
  const loopback = isLoopbackHost(url.hostname);
  const custom = url.protocol !== "http:" && url.protocol !== "https:";
  if (!custom && url.protocol === "http:" && !loopback) {
    throw new OAuthFailure("invalid_redirect_uri", `${uri} must use https unless it is a localhost redirect`);
  }
  if (applicationType === "web" && (loopback || url.protocol !== "https:")) {
    throw new OAuthFailure(
      "invalid_redirect_uri",
      `${uri} is not allowed for application_type web (https, not localhost)`,
    );
  }
  if (applicationType === "native" && !custom && !(url.protocol === "http:" && loopback)) {
    throw new OAuthFailure(
      "invalid_redirect_uri",
      `${uri} is not allowed for application_type native (http loopback or a custom scheme)`,
    );
  }
}

function stringList(value: unknown, name: string, error = "invalid_client_metadata"): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) {
    throw new OAuthFailure(error, `${name} must be an array of strings`);
  }
  return value as string[];
}

function keySet(value: unknown): { keys: JWK[] } | undefined {
  if (value === undefined) return undefined;
  const keys = (value as { keys?: unknown }).keys;
  if (!Array.isArray(keys) || keys.length === 0)
    throw new OAuthFailure("invalid_client_metadata", "jwks must hold keys");
  return { keys: keys as JWK[] };
}

import { OAuthError } from "./oauth-error.js";
import { redirectUriProblem } from "./redirect-uris.js";

export type AuthMethod = "none" | "client_secret_post" | "client_secret_basic";
export type GrantType = "authorization_code" | "refresh_token";

/** What the proxy keeps of a client's metadata (RFC 7591 §2); other fields are ignored. */
export interface ClientMetadata {
  redirect_uris: string[];
  token_endpoint_auth_method: AuthMethod;
  grant_types: GrantType[];
  response_types: ["code"];
  client_name?: string;
  client_uri?: string;
  logo_uri?: string;
  scope?: string;
  software_id?: string;
  software_version?: string;
}

const AUTH_METHODS: AuthMethod[] = ["none", "client_secret_post", "client_secret_basic"];
const GRANT_TYPES: GrantType[] = ["authorization_code", "refresh_token"];
const TEXT_FIELDS = ["client_name", "scope", "software_id", "software_version"] as const;
const URL_FIELDS = ["client_uri", "logo_uri"] as const;
const MAX_REDIRECT_URIS = 10;

const invalid = (description: string) => new OAuthError("invalid_client_metadata", description);

/**
 * Validates client metadata, from a registration request or a Client ID Metadata Document.
 * Throws RFC 7591 errors: `invalid_redirect_uri` or `invalid_client_metadata`.
 */
export function parseClientMetadata(
  input: unknown,
  options: { defaultAuthMethod: AuthMethod },
): ClientMetadata {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw invalid("The client metadata must be a JSON object.");
  }
  const body = input as Record<string, unknown>;
  const uris = body.redirect_uris;
  if (!Array.isArray(uris) || uris.length === 0) {
    throw new OAuthError("invalid_redirect_uri", "redirect_uris must be a non-empty array.");
  }
  if (uris.length > MAX_REDIRECT_URIS) {
    throw new OAuthError("invalid_redirect_uri", `At most ${MAX_REDIRECT_URIS} redirect_uris are accepted.`);
  }
  for (const uri of uris) {
    const problem = redirectUriProblem(uri);
    if (problem) throw new OAuthError("invalid_redirect_uri", `Redirect URI ${String(uri)} ${problem}.`);
  }

  const method = body.token_endpoint_auth_method ?? options.defaultAuthMethod;
  if (!AUTH_METHODS.includes(method as AuthMethod)) {
    throw invalid(`token_endpoint_auth_method must be one of ${AUTH_METHODS.join(", ")}.`);
  }
  const grants = body.grant_types ?? ["authorization_code"];
  if (
    !Array.isArray(grants) ||
    !grants.every((grant) => GRANT_TYPES.includes(grant as GrantType)) ||
    !grants.includes("authorization_code")
  ) {
    throw invalid(`grant_types must include authorization_code and may add refresh_token, nothing else.`);
  }
  const responses = body.response_types ?? ["code"];
  if (!Array.isArray(responses) || responses.length !== 1 || responses[0] !== "code") {
    throw invalid('response_types must be ["code"].');
  }

  const metadata: ClientMetadata = {
    redirect_uris: [...new Set(uris as string[])],
    token_endpoint_auth_method: method as AuthMethod,
    grant_types: [...new Set(grants as GrantType[])],
    response_types: ["code"],
  };
  for (const field of TEXT_FIELDS) {
    const value = body[field];
    if (value === undefined) continue;
    if (typeof value !== "string" || value.length > 500)
      throw invalid(`${field} must be a string of at most 500 characters.`);
    metadata[field] = value;
  }
  // Shown to nobody by this proxy; kept only when they are https URLs (RFC 7591 lets servers drop them).
  for (const field of URL_FIELDS) {
    const value = body[field];
    if (typeof value === "string" && value.length <= 2000 && isHttpsUrl(value)) metadata[field] = value;
  }
  return metadata;
}

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === "https:";
  } catch {
    return false;
  }
}

import { startAuthorization } from "@modelcontextprotocol/sdk/client/auth.js";
import type {
  AuthorizationServerMetadata,
  OAuthClientInformationMixed,
} from "@modelcontextprotocol/sdk/shared/auth.js";
import { OperationError } from "../../core/errors.js";

/**
 * PKCE policy. The spec says: use S256, and refuse an authorization server that does not advertise
 * it. Entra supports S256 but omits code_challenge_methods_supported, so an absent list is a note
 * (S256 is used anyway) unless --strict; a list without S256 is always refused.
 */
export function checkPkceSupport(metadata: AuthorizationServerMetadata, strict: boolean): string | undefined {
  const methods = metadata.code_challenge_methods_supported;
  if (methods?.includes("S256")) return undefined;
  if (methods) {
    throw new OperationError(
      "PKCE_S256_UNSUPPORTED",
      `The authorization server supports PKCE methods ${methods.join(", ") || "(none)"}, not S256.`,
      { suggestion: "MCP clients must use PKCE with S256: the authorization server has to support it." },
    );
  }
  if (strict) {
    throw new OperationError(
      "PKCE_NOT_ADVERTISED",
      "The authorization server metadata has no code_challenge_methods_supported (--strict refuses it).",
      {
        suggestion:
          "Entra omits it while supporting S256: run without --strict to proceed with S256, or fix the metadata.",
      },
    );
  }
  return "code_challenge_methods_supported is absent (as on Entra): proceeding with PKCE S256 anyway.";
}

export interface AuthorizationRequestInput {
  issuer: string;
  metadata: AuthorizationServerMetadata;
  client: OAuthClientInformationMixed;
  redirectUri: string;
  scope?: string;
  state: string;
  resource?: string;
  /** Entra and the dev tenant: no prompt=consent (AADSTS90094 with offline_access in locked-down tenants). */
  entra: boolean;
}

/** The authorization URL (response_type=code, PKCE S256, state, scope, resource) and its verifier. */
export async function buildAuthorizationRequest(
  input: AuthorizationRequestInput,
): Promise<{ url: URL; codeVerifier: string }> {
  const { authorizationUrl, codeVerifier } = await startAuthorization(input.issuer, {
    metadata: input.metadata,
    clientInformation: input.client,
    redirectUrl: input.redirectUri,
    scope: input.scope,
    state: input.state,
    resource: input.resource,
  });
  if (input.entra) authorizationUrl.searchParams.delete("prompt");
  return { url: authorizationUrl, codeVerifier };
}

import {
  exchangeAuthorization,
  fetchToken,
  refreshAuthorization,
} from "@modelcontextprotocol/sdk/client/auth.js";
import { OAuthError } from "@modelcontextprotocol/sdk/server/auth/errors.js";
import type {
  AuthorizationServerMetadata,
  OAuthClientInformationMixed,
  OAuthTokens,
} from "@modelcontextprotocol/sdk/shared/auth.js";
import { OperationError } from "../core/errors.js";
import type { FetchLike } from "../entra/trust.js";
import type { FlowOAuthProvider } from "./oauth-provider.js";

export interface TokenRequestInput {
  issuer: string;
  metadata: AuthorizationServerMetadata;
  client: OAuthClientInformationMixed;
  resource?: string;
  fetch: FetchLike;
}

/** authorization_code + PKCE verifier + redirect_uri + resource, client authentication as negotiated. */
export async function exchangeCode(
  input: TokenRequestInput & { code: string; codeVerifier: string; redirectUri: string },
): Promise<OAuthTokens> {
  return asFlowError("token request", () =>
    exchangeAuthorization(input.issuer, {
      metadata: input.metadata,
      clientInformation: input.client,
      authorizationCode: input.code,
      codeVerifier: input.codeVerifier,
      redirectUri: input.redirectUri,
      resource: input.resource,
      fetchFn: input.fetch,
    }),
  );
}

export async function refreshTokens(
  input: TokenRequestInput & { refreshToken: string },
): Promise<OAuthTokens> {
  return asFlowError("refresh", () =>
    refreshAuthorization(input.issuer, {
      metadata: input.metadata,
      clientInformation: input.client,
      refreshToken: input.refreshToken,
      resource: input.resource,
      fetchFn: input.fetch,
    }),
  );
}

/** client_credentials against a spec authorization server, through the provider's prepareTokenRequest. */
export async function clientCredentialsToken(
  provider: FlowOAuthProvider,
  input: Omit<TokenRequestInput, "client">,
): Promise<OAuthTokens> {
  return asFlowError("client credentials token request", () =>
    fetchToken(provider, input.issuer, {
      metadata: input.metadata,
      resource: input.resource,
      fetchFn: input.fetch,
    }),
  );
}

/** The SDK's OAuth errors as flow failures that keep the server's error code and description. */
export async function asFlowError<T>(what: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    if (error instanceof OAuthError) {
      throw new OperationError(
        "TOKEN_REQUEST_FAILED",
        `The ${what} failed: ${error.errorCode}${error.message ? `: ${error.message}` : ""}`,
        { cause: error },
      );
    }
    throw new OperationError("TOKEN_REQUEST_FAILED", `The ${what} failed: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

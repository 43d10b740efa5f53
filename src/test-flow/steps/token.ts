import { exchangeAuthorization, fetchToken } from "@modelcontextprotocol/sdk/client/auth.js";
import { OAuthError } from "@modelcontextprotocol/sdk/server/auth/errors.js";
import type {
  AuthorizationServerMetadata,
  OAuthClientInformationMixed,
  OAuthTokens,
} from "@modelcontextprotocol/sdk/shared/auth.js";
import { OperationError } from "../../core/errors.js";
import type { FetchLike } from "../../entra/trust.js";
import type { FlowOAuthProvider } from "../sign-in/oauth-provider.js";

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

/**
 * refresh_token, through the provider's prepareTokenRequest and the SDK's `fetchToken`, so that the
 * request carries `scope` (Entra's v2 endpoint needs it on refresh; RFC 6749 §6 allows it) besides
 * `resource`. The refresh token is kept when the server returns no new one.
 */
export async function refreshTokens(
  provider: FlowOAuthProvider,
  input: Omit<TokenRequestInput, "client"> & { refreshToken: string; scope?: string },
): Promise<OAuthTokens> {
  const params = new URLSearchParams({ grant_type: "refresh_token", refresh_token: input.refreshToken });
  if (input.scope) params.set("scope", input.scope);
  provider.nextTokenRequest = params;
  const tokens = await asFlowError("refresh", () =>
    fetchToken(provider, input.issuer, {
      metadata: input.metadata,
      resource: input.resource,
      fetchFn: input.fetch,
    }),
  );
  return { refresh_token: input.refreshToken, ...tokens };
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
        `The ${what} failed: ${error.errorCode}${error.message ? `: ${tidyErrorDescription(error.message)}` : ""}`,
        { cause: error },
      );
    }
    throw new OperationError("TOKEN_REQUEST_FAILED", `The ${what} failed: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/**
 * Entra's error descriptions end in trace ids and timestamps, and msal-node wraps them in more
 * ("Error(s): … - Timestamp: … - Description: AADSTS…"); the report keeps the AADSTS sentence.
 */
export function tidyErrorDescription(text: string): string {
  const described =
    /Description: (AADSTS[\s\S]*?)(?: - Correlation ID:| - Trace ID:|$)/.exec(text)?.[1] ?? text;
  return described.replace(/\s+Trace ID:[\s\S]*$/, "").trim();
}

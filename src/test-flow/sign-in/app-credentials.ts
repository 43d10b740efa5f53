import { createPrivateKey, type KeyObject } from "node:crypto";
import { readFile } from "node:fs/promises";
import type {
  AuthorizationServerMetadata,
  OAuthClientMetadata,
  OAuthClientProvider,
} from "@modelcontextprotocol/client";
import { UsageError } from "../../core/errors.js";
import type { FetchLike } from "../../entra/trust.js";
import { loadSdk } from "../mcp-client/sdk.js";
import { clientAuthentication } from "./client-authentication.js";
import type { AppCredentials, AppOnlyResult } from "./msal.js";

const JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";

export interface AppOnlyInput {
  issuer: string;
  metadata: AuthorizationServerMetadata;
  credentials: AppCredentials;
  /** --token-endpoint-auth-method: how the secret goes (else basic when the server allows it). */
  authMethod?: string;
  scope?: string;
  resource?: string;
  fetch: FetchLike;
}

/**
 * App-only tokens from any authorization server (the MCP client-credentials extension), through the
 * SDK's `fetchToken` and its providers: a secret (`ClientCredentialsProvider`; client_secret_basic or
 * client_secret_post, as the metadata allows), a bare private key (`PrivateKeyJwtProvider`;
 * private_key_jwt, RS256 or ES256 by the key's type), or a workload identity token (the RFC 7523
 * jwt-bearer grant, with the token as the assertion).
 */
export async function appOnlyTokens(input: AppOnlyInput): Promise<AppOnlyResult> {
  const sdk = await loadSdk();
  const { credentials, metadata } = input;
  const expectedIssuer = metadata.issuer;
  let provider: OAuthClientProvider;
  let credential: string;
  let grantType = "client_credentials";
  if (credentials.clientSecret) {
    const information = { client_id: credentials.clientId, client_secret: credentials.clientSecret };
    const method =
      input.authMethod ??
      sdk.selectClientAuthMethod(information, metadata.token_endpoint_auth_methods_supported ?? []);
    const secretProvider = new sdk.ClientCredentialsProvider({
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
      expectedIssuer,
    });
    provider = Object.assign(secretProvider, {
      addClientAuthentication: clientAuthentication(information, method),
    });
    credential = `client secret (${method})`;
  } else if (credentials.privateKeyFile) {
    const key = await privateKey(credentials.privateKeyFile);
    provider = new sdk.PrivateKeyJwtProvider({
      clientId: credentials.clientId,
      privateKey: key.pem,
      algorithm: key.algorithm,
      expectedIssuer,
    });
    credential = `private_key_jwt (${key.algorithm})`;
  } else {
    const assertion = (await readFile(credentials.federatedTokenFile!, "utf8")).trim();
    provider = jwtBearerProvider(credentials.clientId, assertion, expectedIssuer);
    grantType = JWT_BEARER;
    credential = "workload identity token (jwt-bearer assertion)";
  }
  const tokens = await sdk.fetchToken(provider, input.issuer, {
    metadata,
    resource: input.resource,
    scope: input.scope,
    fetchFn: input.fetch,
  });
  return { tokens, grantType, credential };
}

/**
 * RFC 7523 §2.1 with a token from elsewhere (a CI platform's OIDC token): the SDK's providers sign
 * their own assertions, so this one only hands `fetchToken` the grant. The assertion is the credential:
 * a client id goes along (as a public client's) only when --client-id names one.
 */
function jwtBearerProvider(clientId: string, assertion: string, issuer: string): OAuthClientProvider {
  const clientMetadata: OAuthClientMetadata = { redirect_uris: [], grant_types: [JWT_BEARER] };
  return {
    get redirectUrl() {
      return undefined;
    },
    get clientMetadata() {
      return clientMetadata;
    },
    clientInformation: () => (clientId ? { client_id: clientId, issuer } : undefined),
    tokens: () => undefined,
    saveTokens: () => undefined,
    redirectToAuthorization: () => undefined,
    saveCodeVerifier: () => undefined,
    codeVerifier: () => "",
    prepareTokenRequest: (scope) => {
      const params = new URLSearchParams({ grant_type: JWT_BEARER, assertion });
      if (scope) params.set("scope", scope);
      return params;
    },
  };
}

/** A PEM private key as PKCS#8 (what the SDK's signer reads), with the algorithm its type calls for. */
async function privateKey(file: string): Promise<{ pem: string; algorithm: "RS256" | "ES256" }> {
  const text = await readFile(file, "utf8");
  let key: KeyObject;
  try {
    key = createPrivateKey(text);
  } catch {
    throw new UsageError(
      "INVALID_PRIVATE_KEY_FILE",
      `--private-key-file: ${file} holds no PEM private key.`,
      {
        suggestion: "Pass an unencrypted RSA or P-256 EC private key in PEM (PKCS#8, PKCS#1 or SEC1).",
      },
    );
  }
  const type = key.asymmetricKeyType;
  const curve = key.asymmetricKeyDetails?.namedCurve;
  const algorithm = type === "rsa" ? "RS256" : type === "ec" && curve === "prime256v1" ? "ES256" : undefined;
  if (!algorithm) {
    throw new UsageError(
      "UNSUPPORTED_PRIVATE_KEY",
      `--private-key-file: ${file} is a ${type}${curve ? ` (${curve})` : ""} key; private_key_jwt here signs with RS256 or ES256.`,
      { suggestion: "Pass an RSA key (RS256) or a P-256 EC key (ES256)." },
    );
  }
  return { pem: key.export({ type: "pkcs8", format: "pem" }).toString(), algorithm };
}

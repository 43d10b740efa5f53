import { X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { AuthenticationResult, Configuration } from "@azure/msal-node";
import type { OAuthTokens } from "@modelcontextprotocol/client";
import { OperationError, UsageError } from "../../core/errors.js";
import { msalConfiguration } from "../../entra/msal-config.js";
import { type FetchLike, msalNetworkClient } from "../../entra/trust.js";
import { tidyErrorDescription } from "./error-description.js";

/**
 * Entra and the dev tenant through msal-node: client credentials (secret, certificate, federated
 * token) and device code. msal-node sends no RFC 8707 `resource` on these grants, so its network
 * client (ours) adds it to each form POST — unless --no-resource.
 */
export interface MsalTarget {
  authority: string;
  fetch: FetchLike;
  resource?: string;
  timeoutMs: number;
}

export interface AppCredentials {
  clientId: string;
  clientSecret?: string;
  certificateFile?: string;
  /** A bare private key (private_key_jwt): for other authorization servers; Entra needs a certificate. */
  privateKeyFile?: string;
  federatedTokenFile?: string;
}

/** App-only tokens, and how they were obtained (for the report). */
export interface AppOnlyResult {
  tokens: OAuthTokens;
  grantType: string;
  credential: string;
}

export async function msalClientCredentials(
  target: MsalTarget,
  credentials: AppCredentials,
  scopes: string[],
): Promise<AppOnlyResult> {
  const { ConfidentialClientApplication } = await import("@azure/msal-node");
  const { auth, credential } = await confidentialAuth(credentials);
  const app = new ConfidentialClientApplication(
    configuration(target, { clientId: credentials.clientId, ...auth }),
  );
  const result = await asMsalError(() => app.acquireTokenByClientCredential({ scopes }));
  return {
    tokens: toTokens(result),
    grantType: "client_credentials",
    credential: `${credential} (msal-node)`,
  };
}

export async function msalDeviceCode(
  target: MsalTarget,
  clientId: string,
  scopes: string[],
  notice: (text: string) => void,
): Promise<OAuthTokens> {
  const { PublicClientApplication } = await import("@azure/msal-node");
  const app = new PublicClientApplication(configuration(target, { clientId }));
  const result = await asMsalError(() =>
    app.acquireTokenByDeviceCode({
      scopes,
      deviceCodeCallback: (response) => notice(response.message),
      timeout: Math.ceil(target.timeoutMs / 1000),
    }),
  );
  const cache = JSON.parse(app.getTokenCache().serialize()) as {
    RefreshToken?: Record<string, { secret?: string }>;
  };
  const refresh = Object.values(cache.RefreshToken ?? {})[0]?.secret;
  return { ...toTokens(result), refresh_token: refresh };
}

function configuration(target: MsalTarget, auth: Parameters<typeof msalConfiguration>[1]): Configuration {
  const base = msalConfiguration({ authority: target.authority }, auth);
  return {
    ...base,
    system: { networkClient: msalNetworkClient(withResource(target.fetch, target.resource)) },
  };
}

/** Adds `resource` to msal's form POSTs (token and device-code endpoints) that lack it. */
export function withResource(fetchImpl: FetchLike, resource: string | undefined): FetchLike {
  if (!resource) return fetchImpl;
  return (input, init) => {
    if (init?.method === "POST" && typeof init.body === "string") {
      const params = new URLSearchParams(init.body);
      if (!params.has("resource")) {
        params.set("resource", resource);
        return fetchImpl(input, { ...init, body: params.toString() });
      }
    }
    return fetchImpl(input, init);
  };
}

async function confidentialAuth(credentials: AppCredentials) {
  if (credentials.clientSecret) {
    return { auth: { clientSecret: credentials.clientSecret }, credential: "client secret" };
  }
  if (credentials.certificateFile) {
    const pem = await readFile(credentials.certificateFile, "utf8");
    const certificate = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0];
    const privateKey =
      /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC )?PRIVATE KEY-----/.exec(pem)?.[0];
    if (!certificate || !privateKey) {
      throw new UsageError(
        "INVALID_CERTIFICATE_FILE",
        `--certificate-file: ${credentials.certificateFile} must hold a PEM certificate and its private key.`,
        { suggestion: "Concatenate the certificate and its unencrypted private key into one PEM file." },
      );
    }
    const thumbprintSha256 = new X509Certificate(certificate).fingerprint256.replace(/:/g, "");
    return {
      auth: { clientCertificate: { thumbprintSha256, privateKey, x5c: certificate } },
      credential: "certificate",
    };
  }
  if (credentials.federatedTokenFile) {
    const file = credentials.federatedTokenFile;
    return {
      auth: { clientAssertion: async () => (await readFile(file, "utf8")).trim() },
      credential: "federated token",
    };
  }
  throw new UsageError("MISSING_CLIENT_CREDENTIAL", "--auth client-credentials needs a credential.", {
    suggestion:
      "Pass --client-secret (or MCP_CLIENT_SECRET), --certificate-file <pem> or --federated-token-file <file>.",
  });
}

function toTokens(result: AuthenticationResult | null): OAuthTokens {
  if (!result?.accessToken) throw new OperationError("NO_TOKEN", "msal-node returned no access token.");
  const expiresIn = result.expiresOn
    ? Math.max(0, Math.round((result.expiresOn.getTime() - Date.now()) / 1000))
    : undefined;
  return {
    access_token: result.accessToken,
    token_type: result.tokenType || "Bearer",
    expires_in: expiresIn,
    scope: result.scopes.join(" "),
  };
}

async function asMsalError<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    const message = (error as { errorMessage?: string }).errorMessage || (error as Error).message;
    const code = (error as { errorCode?: string }).errorCode;
    throw new OperationError(
      "TOKEN_REQUEST_FAILED",
      `The token request failed: ${code ? `${code}: ` : ""}${tidyErrorDescription(message)}`,
      {
        cause: error,
      },
    );
  }
}

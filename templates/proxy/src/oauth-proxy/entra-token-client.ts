import { type Config, entraEndpoints } from "../config.js";
import { entraResource, entraScope, proxyEndpoints } from "./endpoints.js";
import { entraClientAuthentication } from "./entra-credential.js";

/** Tokens from Entra for this server's API, issued to this server's app on behalf of a user. */
export interface EntraTokens {
  accessToken: string;
  refreshToken?: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

/** Entra refused or could not be reached. `error` is the OAuth error code (e.g. invalid_grant). */
export class EntraTokenError extends Error {
  override readonly name = "EntraTokenError";
  constructor(
    readonly error: string,
    /** The AADSTS code, safe to log. */
    readonly aadsts?: string,
  ) {
    super(`Entra answered ${error}${aadsts ? ` (${aadsts})` : ""}`);
  }
}

export interface EntraTokenClient {
  /** Redeems the code Entra sent to /oauth/callback, with the verifier of the proxy's own PKCE. */
  redeemCode(code: string, codeVerifier: string): Promise<EntraTokens>;
  refresh(refreshToken: string): Promise<EntraTokens>;
}

/**
 * This server's app as a confidential client of Entra's token endpoint (authorization_code and
 * refresh_token grants), over plain HTTP rather than MSAL: MSAL keeps refresh tokens in its own
 * cache, and the proxy must hand each client its (wrapped) refresh token instead.
 */
export function createEntraTokenClient(config: Config, now: () => number): EntraTokenClient {
  const { tokenUrl } = entraEndpoints(config);
  const authenticate = entraClientAuthentication(config, tokenUrl);
  const resource = entraResource(config);

  async function request(grant: Record<string, string>): Promise<EntraTokens> {
    const body = new URLSearchParams({
      ...grant,
      client_id: config.clientId,
      scope: entraScope(config),
      ...(resource ? { resource } : {}),
      ...(await authenticate()),
    });
    let response: Response;
    try {
      response = await fetch(tokenUrl, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
        body,
        signal: AbortSignal.timeout(10_000),
      });
    } catch {
      throw new EntraTokenError("temporarily_unavailable");
    }
    const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok || typeof json.access_token !== "string") {
      const error = typeof json.error === "string" ? json.error : `http_${response.status}`;
      const aadsts = /AADSTS\d+/.exec(String(json.error_description ?? ""))?.[0];
      throw new EntraTokenError(error, aadsts);
    }
    return {
      accessToken: json.access_token,
      refreshToken: typeof json.refresh_token === "string" ? json.refresh_token : undefined,
      expiresAt: now() + Number(json.expires_in ?? 3600) * 1000,
    };
  }

  return {
    redeemCode: (code, codeVerifier) =>
      request({
        grant_type: "authorization_code",
        code,
        code_verifier: codeVerifier,
        redirect_uri: proxyEndpoints(config).callback,
      }),
    refresh: (refreshToken) => request({ grant_type: "refresh_token", refresh_token: refreshToken }),
  };
}

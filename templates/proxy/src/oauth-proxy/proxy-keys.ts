import { hkdfSync } from "node:crypto";

/**
 * The proxy's keys, derived from one secret (PROXY_STATE_KEY, or the file
 * `PROXY_STATE_DIR/refresh-token-key`) with HKDF-SHA256, one per job, so that no key serves two
 * purposes. Changing that secret invalidates everything sealed or signed with it: every client must
 * sign in again.
 */
export interface ProxyKeys {
  /** AES-256-GCM: Entra's tokens while they wait in the store (sealed-box.ts). */
  seal: Buffer;
  /** HMAC-SHA256: the proxy's refresh tokens (refresh-tokens.ts). */
  refreshToken: Buffer;
  /** HMAC-SHA256: the consent form's CSRF token (consent-endpoint.ts). */
  consentForm: Buffer;
}

export function deriveKeys(secret: Buffer): ProxyKeys {
  const derive = (purpose: string) =>
    Buffer.from(hkdfSync("sha256", secret, Buffer.alloc(0), `mcp oauth proxy: ${purpose}`, 32));
  return {
    seal: derive("sealed box"),
    refreshToken: derive("refresh token"),
    consentForm: derive("consent form"),
  };
}

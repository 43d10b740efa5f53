import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/** What a refresh token the proxy hands out stands for. */
export interface RefreshGrant {
  /** The MCP client it was issued to: only that client can use it. */
  clientId: string;
  /** Entra's refresh token, issued to this server's app. */
  entraRefreshToken: string;
}

export interface RefreshTokenSealer {
  seal(grant: RefreshGrant): string;
  /** The grant, or undefined for anything not sealed by this key (tampered, foreign, malformed). */
  open(token: string): RefreshGrant | undefined;
}

const PREFIX = "mcp-rt1.";
const AAD = Buffer.from("oauth-proxy refresh token v1");

/**
 * Wraps Entra's refresh token (AES-256-GCM with the proxy's key) so the client holds only an
 * opaque value: useless at Entra (which would not accept it from anyone but this server's app
 * with its credential anyway), unreadable, tamper-evident, and bound to the client it was issued
 * to. Nothing is stored on the server; the key lives in PROXY_STATE_DIR.
 */
export function createRefreshTokenSealer(key: Buffer): RefreshTokenSealer {
  return {
    seal(grant) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: 16 }).setAAD(AAD);
      const plain = Buffer.from(JSON.stringify({ c: grant.clientId, r: grant.entraRefreshToken }));
      const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return `${PREFIX}${sealed.toString("base64url")}`;
    },
    open(token) {
      if (!token.startsWith(PREFIX)) return undefined;
      const sealed = Buffer.from(token.slice(PREFIX.length), "base64url");
      if (sealed.length < 12 + 16 + 1) return undefined;
      try {
        const decipher = createDecipheriv("aes-256-gcm", key, sealed.subarray(0, 12), {
          authTagLength: 16,
        }).setAAD(AAD);
        decipher.setAuthTag(sealed.subarray(sealed.length - 16));
        const plain = Buffer.concat([
          decipher.update(sealed.subarray(12, sealed.length - 16)),
          decipher.final(),
        ]);
        const { c, r } = JSON.parse(plain.toString("utf8")) as { c?: unknown; r?: unknown };
        return typeof c === "string" && typeof r === "string"
          ? { clientId: c, entraRefreshToken: r }
          : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * Seals JSON values (AES-256-GCM, the purpose as associated data) so that Entra's tokens are never
 * kept in the clear, whichever store holds them: unreadable, tamper-evident, and useless for any
 * purpose but the one they were sealed for.
 */
export interface SealedBox {
  seal(purpose: string, value: unknown): string;
  /** The value, or undefined for anything not sealed by this key for this purpose. */
  open(purpose: string, sealed: string): unknown;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

export function createSealedBox(key: Buffer): SealedBox {
  return {
    seal(purpose, value) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(purpose));
      const plain = Buffer.from(JSON.stringify(value));
      return Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]).toString(
        "base64url",
      );
    },
    open(purpose, sealed) {
      const bytes = Buffer.from(sealed, "base64url");
      if (bytes.length < IV_BYTES + TAG_BYTES + 1) return undefined;
      try {
        const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(0, IV_BYTES), {
          authTagLength: TAG_BYTES,
        });
        decipher.setAAD(Buffer.from(purpose));
        decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
        const plain = Buffer.concat([
          decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
          decipher.final(),
        ]);
        return JSON.parse(plain.toString("utf8")) as unknown;
      } catch {
        return undefined;
      }
    },
  };
}

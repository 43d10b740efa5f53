import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** An unguessable value (codes, states, secrets, client ids): 256 bits, base64url. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

/** SHA-256, base64url: how codes, client secrets and browser cookies are kept (never in the clear). */
export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("base64url");
}

/** HMAC-SHA256, base64url: values the proxy signs and checks itself (refresh tokens, CSRF tokens). */
export function hmac(key: Buffer, text: string): string {
  return createHmac("sha256", key).update(text).digest("base64url");
}

/** Compares two strings in constant time (for their length). */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

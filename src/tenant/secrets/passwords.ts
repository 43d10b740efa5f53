import * as crypto from "node:crypto";
import { createHash, randomBytes, scrypt, scryptSync, timingSafeEqual } from "node:crypto";

/**
 * Test users' passwords: scrypt with a per-password salt, on libuv's thread pool (a new tenant hashes
 * its users' passwords while it generates its keys).
 */
export function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  return new Promise((resolve, reject) => {
    scrypt(password, salt, 32, (error, hash) => {
      if (error) reject(error);
      else resolve(`scrypt$${salt.toString("base64url")}$${hash.toString("base64url")}`);
    });
  });
}

export function verifyPassword(password: string, stored: string): boolean {
  const [scheme, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64url");
  const actual = scryptSync(password, Buffer.from(salt, "base64url"), expected.length);
  return timingSafeEqual(actual, expected);
}

/**
 * Client secrets and refresh tokens are long random strings, so one SHA-256 is enough to keep them
 * unreadable at rest while staying cheap on the token endpoint's hot path.
 */
export function hashSecret(secret: string): string {
  // crypto.hash (Node 20.12+) is the one-shot form: about half the cost of a Hash object.
  if (typeof crypto.hash === "function") return crypto.hash("sha256", secret, "base64url");
  return createHash("sha256").update(secret).digest("base64url");
}

export function secretMatches(secret: string, storedHash: string): boolean {
  const actual = Buffer.from(hashSecret(secret));
  const expected = Buffer.from(storedHash);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

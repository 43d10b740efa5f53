import { randomBytes, randomFillSync } from "node:crypto";

const POOL_SIZE = 4096;
const pool = Buffer.alloc(POOL_SIZE);
let offset = POOL_SIZE;

/**
 * `bytes` random bytes from node:crypto's CSPRNG, as base64url. The identity endpoints draw several
 * per request (token ids, codes, session and transaction ids); they come from a pool refilled 4 KB at
 * a time, as node:crypto's randomUUID does, instead of one call into OpenSSL each, where the main
 * thread waits for locks the signing threads hold. Bytes handed out are zeroed in the pool.
 */
export function randomBase64url(bytes: number): string {
  if (bytes > POOL_SIZE / 8) return randomBytes(bytes).toString("base64url");
  if (offset + bytes > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const value = pool.toString("base64url", offset, offset + bytes);
  pool.fill(0, offset, offset + bytes);
  offset += bytes;
  return value;
}

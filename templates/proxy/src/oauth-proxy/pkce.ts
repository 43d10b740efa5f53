import { randomToken, safeEqual, sha256 } from "./crypto-helpers.js";

/** RFC 7636: a verifier is 43 to 128 unreserved characters; an S256 challenge is 43 base64url ones. */
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

export function isS256Challenge(challenge: string | undefined): challenge is string {
  return challenge !== undefined && S256_CHALLENGE.test(challenge);
}

/** A new verifier and its S256 challenge, for the proxy's own hop to Entra. */
export function newPkcePair(): { verifier: string; challenge: string } {
  const verifier = randomToken(48);
  return { verifier, challenge: sha256(verifier) };
}

/** True when the verifier is well formed and its S256 hash is the challenge. */
export function verifyPkce(challenge: string, verifier: string | undefined): boolean {
  return verifier !== undefined && VERIFIER.test(verifier) && safeEqual(sha256(verifier), challenge);
}

import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  generateKeyPairSync,
  type KeyObject,
  sign as signAsync,
} from "node:crypto";
import type { JWK, JWTPayload } from "jose";
import type { SigningKeyRecord } from "../directory/tenant-state.js";
import { recordIssuedSecret } from "../secrets/secret-ledger.js";

/** A new RS256 signing key; its kid is the RFC 7638 thumbprint of the public key. */
export function newSigningKey(now: string): SigningKeyRecord {
  return signingKeyRecord(generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey, now);
}

/** newSigningKey, generated on libuv's thread pool (a new tenant makes its keys side by side). */
export function generateSigningKey(now: string): Promise<SigningKeyRecord> {
  return new Promise((resolve, reject) => {
    generateKeyPair("rsa", { modulusLength: 2048 }, (error, _publicKey, privateKey) => {
      if (error) reject(error);
      else resolve(signingKeyRecord(privateKey, now));
    });
  });
}

function signingKeyRecord(privateKey: KeyObject, now: string): SigningKeyRecord {
  return {
    kid: thumbprint(createPublicKey(privateKey).export({ format: "jwk" }) as JWK),
    privateKeyPem: privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
    createdAt: now,
    retiredAt: null,
    publishedUntil: null,
  };
}

function thumbprint(jwk: JWK): string {
  const canonical = JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n });
  return createHash("sha256").update(canonical).digest("base64url");
}

interface LoadedKey {
  record: SigningKeyRecord;
  privateKey: KeyObject;
  publicJwk: JWK;
}

/**
 * The tenant's signing keys, parsed once. The newest key signs; older keys stay in the JWKS until
 * their `publishedUntil` passes so tokens they signed keep verifying during a rotation.
 */
export class SigningKeys {
  private loaded = new Map<string, LoadedKey>();

  constructor(private readonly records: () => SigningKeyRecord[]) {}

  private load(record: SigningKeyRecord): LoadedKey {
    let key = this.loaded.get(record.kid);
    if (!key) {
      const privateKey = createPrivateKey(record.privateKeyPem);
      const publicJwk = createPublicKey(privateKey).export({ format: "jwk" }) as JWK;
      key = { record, privateKey, publicJwk };
      this.loaded.set(record.kid, key);
    }
    return key;
  }

  active(): LoadedKey {
    const record = this.records().find((candidate) => candidate.retiredAt === null);
    if (!record) throw new Error("The dev tenant has no active signing key");
    return this.load(record);
  }

  /** The JSON Web Key Set, as Entra publishes it. */
  jwks(nowMs: number): { keys: JWK[] } {
    const published = this.records().filter(
      (record) => !record.publishedUntil || Date.parse(record.publishedUntil) > nowMs,
    );
    return {
      keys: published.map((record) => {
        const { publicJwk } = this.load(record);
        return { kty: "RSA", use: "sig", kid: record.kid, x5t: record.kid, n: publicJwk.n, e: publicJwk.e };
      }),
    };
  }

  /**
   * Signs a JWT (RS256) with node:crypto's callback form, on libuv's thread pool; verification
   * everywhere uses jose.
   * Not jose's SignJWT: it costs 5–10% more CPU per signature than this (bench/token-endpoint.mjs).
   */
  sign(payload: JWTPayload, header: Record<string, unknown> = {}): Promise<string> {
    const key = this.active();
    const protectedHeader = { typ: "JWT", alg: "RS256", kid: key.record.kid, ...header };
    const input = `${base64url(protectedHeader)}.${base64url(payload)}`;
    return new Promise((resolve, reject) => {
      signAsync("sha256", Buffer.from(input), key.privateKey, (error, signature) => {
        if (error) return reject(error);
        const token = `${input}.${signature.toString("base64url")}`;
        recordIssuedSecret(token);
        resolve(token);
      });
    });
  }
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

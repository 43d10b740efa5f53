import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  generateKeyPairSync,
  type KeyObject,
  sign as signAsync,
  X509Certificate,
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

/** Issues the certificate of a signing key (PEM); the tenant's CA signs it. */
export type CertifyKey = (publicKeySpki: Buffer, validFrom: Date) => Promise<string>;

/**
 * The tenant's signing keys, parsed once. The newest key signs; older keys stay in the JWKS until
 * their `publishedUntil` passes so tokens they signed keep verifying during a rotation.
 */
export class SigningKeys {
  private loaded = new Map<string, LoadedKey>();
  private certifying = new Map<string, Promise<string>>();

  /** `certify` and `saved`: a key without a certificate gets one when first published, then saved. */
  constructor(
    private readonly records: () => SigningKeyRecord[],
    private readonly certify?: CertifyKey,
    private readonly saved?: () => Promise<void>,
  ) {}

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

  /** The published keys (n, e, kid), for the tenant's own checks of its tokens. */
  jwks(nowMs: number): { keys: JWK[] } {
    const published = this.records().filter(
      (record) => !record.publishedUntil || Date.parse(record.publishedUntil) > nowMs,
    );
    return {
      keys: published.map((record) => {
        const { publicJwk } = this.load(record);
        return { kty: "RSA", use: "sig", kid: record.kid, n: publicJwk.n, e: publicJwk.e };
      }),
    };
  }

  // https://learn.microsoft.com/en-us/entra/identity-platform/signing-key-rollover
  /**
   * The JWKS as Entra's keys endpoint serves it: each key with its certificate (`x5c`), the
   * certificate's SHA-1 thumbprint (`x5t`), and the `issuer` of the tokens it signs. The `kid` stays
   * the key's RFC 7638 thumbprint (Entra's kid equals its x5t; tokens already issued keep verifying).
   */
  async published(nowMs: number, issuer: string): Promise<{ keys: JWK[] }> {
    const { keys } = this.jwks(nowMs);
    const records = this.records();
    const published: JWK[] = [];
    for (const key of keys) {
      const record = records.find((candidate) => candidate.kid === key.kid);
      const pem = record ? await this.certificate(record) : undefined;
      if (!pem) {
        published.push({ ...key, issuer } as JWK);
        continue;
      }
      const der = new X509Certificate(pem).raw;
      const x5t = createHash("sha1").update(der).digest("base64url");
      published.push({ ...key, x5t, x5c: [der.toString("base64")], issuer } as JWK);
    }
    return { keys: published };
  }

  private async certificate(record: SigningKeyRecord): Promise<string | undefined> {
    if (record.certificatePem) return record.certificatePem;
    if (!this.certify) return undefined;
    let pending = this.certifying.get(record.kid);
    if (!pending) {
      const spki = createPublicKey(this.load(record).privateKey).export({ format: "der", type: "spki" });
      pending = this.certify(spki, new Date(record.createdAt)).then(async (pem) => {
        record.certificatePem = pem;
        await this.saved?.();
        return pem;
      });
      pending.finally(() => this.certifying.delete(record.kid)).catch(() => undefined);
      this.certifying.set(record.kid, pending);
    }
    return pending;
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

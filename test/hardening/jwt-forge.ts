import { constants, createHmac, generateKeyPairSync, type KeyObject, sign } from "node:crypto";

/** Building blocks for forged JWTs: compact serialisation and signatures by any key and algorithm. */

export const b64 = (value: string | Buffer) => Buffer.from(value).toString("base64url");
export const b64json = (value: unknown) => b64(JSON.stringify(value));

export interface Parts {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** The encoded segments as they were. */
  segments: [string, string, string];
}

export function parts(token: string): Parts {
  const [h = "", p = "", s = ""] = token.split(".");
  return {
    header: JSON.parse(Buffer.from(h, "base64url").toString()),
    payload: JSON.parse(Buffer.from(p, "base64url").toString()),
    segments: [h, p, s],
  };
}

export type SigningAlg =
  | "RS256"
  | "RS384"
  | "RS512"
  | "PS256"
  | "PS384"
  | "ES256"
  | "ES384"
  | "EdDSA"
  | "HS256"
  | "HS384"
  | "HS512"
  | "none";

/** The signature of `input` with `key` (a KeyObject, or the HMAC secret) under `alg`. */
export function signature(alg: SigningAlg, input: string, key: KeyObject | Buffer | string): string {
  const data = Buffer.from(input);
  const hash = (bits: string) => `sha${bits}`;
  switch (alg) {
    case "none":
      return "";
    case "HS256":
    case "HS384":
    case "HS512":
      return createHmac(hash(alg.slice(2)), key as Buffer | string)
        .update(data)
        .digest("base64url");
    case "RS256":
    case "RS384":
    case "RS512":
      return sign(hash(alg.slice(2)), data, key as KeyObject).toString("base64url");
    case "PS256":
    case "PS384":
      return sign(hash(alg.slice(2)), data, {
        key: key as KeyObject,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: Number(alg.slice(2)) / 8,
      }).toString("base64url");
    case "ES256":
    case "ES384":
      return sign(hash(alg.slice(2)), data, { key: key as KeyObject, dsaEncoding: "ieee-p1363" }).toString(
        "base64url",
      );
    case "EdDSA":
      return sign(null, data, key as KeyObject).toString("base64url");
  }
}

/** A compact JWS of any header and payload (objects, or raw strings encoded as they are). */
export function compact(
  header: Record<string, unknown> | string,
  payload: Record<string, unknown> | string,
  alg: SigningAlg,
  key: KeyObject | Buffer | string,
): string {
  const h = typeof header === "string" ? b64(header) : b64json(header);
  const p = typeof payload === "string" ? b64(payload) : b64json(payload);
  return `${h}.${p}.${signature(alg, `${h}.${p}`, key)}`;
}

/** Keys an attacker holds: none of them is the tenant's. */
export function attackerKeys() {
  const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    rsa,
    ec256: generateKeyPairSync("ec", { namedCurve: "P-256" }),
    ec384: generateKeyPairSync("ec", { namedCurve: "P-384" }),
    ed25519: generateKeyPairSync("ed25519"),
  };
}

/** The key an algorithm needs, from the attacker's set. */
export function attackerKeyFor(alg: SigningAlg, keys: ReturnType<typeof attackerKeys>): KeyObject | string {
  if (alg.startsWith("RS") || alg.startsWith("PS")) return keys.rsa.privateKey;
  if (alg === "ES256") return keys.ec256.privateKey;
  if (alg === "ES384") return keys.ec384.privateKey;
  if (alg === "EdDSA") return keys.ed25519.privateKey;
  return "attacker-secret";
}

import { createPublicKey, type KeyObject } from "node:crypto";
import { ANY_EDITS, applyEdit, DELETE, type Edit, edit, FATAL_EDITS } from "./claim-edits.js";
import {
  attackerKeyFor,
  type attackerKeys,
  b64,
  b64json,
  compact,
  type Parts,
  parts,
  type SigningAlg,
} from "./jwt-forge.js";
import type { SeededRandom } from "./seeded-random.js";
import { hugeInputs, jsonBombs } from "./token-bombs.js";

/**
 * The corpus of the token validator fuzz: tokens that must all be refused. Each is named by its
 * category so a failure says what got through (never the token itself: it may contain a real one).
 */

export interface TenantKey {
  kid: string;
  privateKey: KeyObject;
}

export interface FuzzContext {
  /** Valid access tokens for the API under test. */
  valid: string[];
  /** The tenant's signing keys, active first (both published in its JWKS). */
  keys: [TenantKey, TenantKey];
  attacker: ReturnType<typeof attackerKeys>;
  issuer: string;
  v1Issuer: string;
  tenantId: string;
  apiAppId: string;
  appIdUri: string;
  /** Tokens the tenant issued that this API must still refuse (an ID token, another API's token). */
  foreign: string[];
  caPem: string;
}

export interface Forged {
  category: string;
  token: string;
}

const ALGS: unknown[] = [
  "none",
  "None",
  "NONE",
  "nOnE",
  "HS256",
  "HS384",
  "HS512",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "ES256",
  "ES384",
  "EdDSA",
  "rs256",
  "RS256 ",
  " RS256",
  "RS256\u0000",
  "",
  null,
  256,
  ["RS256"],
  { alg: "RS256" },
  true,
];
const SIGNING_ALGS: SigningAlg[] = [
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "ES256",
  "ES384",
  "EdDSA",
  "HS256",
  "HS384",
  "HS512",
  "none",
];
const UNICODE = [
  "é",
  "ß",
  "€",
  "𝒜",
  "😀",
  "\u202e",
  "\ufeff",
  "\u200d",
  "\u0000",
  "．",
  "。",
  "\ud800",
  "\udfff",
];
const NOISE = `${"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"}.+/= \n\t%"'\\{}`;

export function* forgedTokens(ctx: FuzzContext, rng: SeededRandom, randomCount: number): Generator<Forged> {
  yield* fixedCases(ctx);
  yield* hugeInputs(ctx, rng);
  const generators: [number, (base: string) => Forged][] = [
    [20, (t) => ({ category: "char bit flip", token: flipChars(t, rng) })],
    [14, (t) => ({ category: "decoded byte flip", token: flipDecoded(t, rng) })],
    [8, (t) => ({ category: "truncation", token: t.slice(0, rng.int(t.length)) })],
    [8, (t) => ({ category: "char insertion", token: insertNoise(t, rng) })],
    [6, (t) => ({ category: "char deletion", token: deleteChars(t, rng) })],
    [6, (t) => ({ category: "char swap", token: swapChars(t, rng) })],
    [6, (t) => ({ category: "non-ASCII", token: insertUnicode(t, rng) })],
    [6, () => ({ category: "segment splice", token: splice(ctx, rng) })],
    [8, (t) => ({ category: "claim edit, old signature", token: claimEdit(t, rng, "keep", ctx) })],
    [8, (t) => ({ category: "claim edit, attacker key", token: claimEdit(t, rng, "attacker", ctx) })],
    [
      6,
      (t) => {
        const { edit, token } = resignedBadClaims(t, rng, ctx);
        return { category: `claim edit, tenant key: ${edit}`, token };
      },
    ],
    [4, (t) => ({ category: "header edit, old signature", token: headerEdit(t, rng, ctx) })],
  ];
  const total = generators.reduce((sum, [weight]) => sum + weight, 0);
  const originals = new Set(ctx.valid);
  for (let produced = 0; produced < randomCount; ) {
    const roll = rng.int(total);
    let cumulative = 0;
    const generator = generators.find(([weight]) => {
      cumulative += weight;
      return roll < cumulative;
    })![1];
    const forged = generator(rng.pick(ctx.valid));
    // A mutation that happens to give back an original token is not a forgery.
    if (originals.has(forged.token)) continue;
    produced++;
    yield forged;
  }
}

function* fixedCases(ctx: FuzzContext): Generator<Forged> {
  const [active, retired] = ctx.keys;
  const publicJwk = createPublicKey(active.privateKey).export({ format: "jwk" });
  const spki = createPublicKey(active.privateKey).export({ format: "pem", type: "spki" }).toString();
  const pkcs1 = createPublicKey(active.privateKey).export({ format: "pem", type: "pkcs1" }).toString();
  const attackerJwk = ctx.attacker.rsa.publicKey.export({ format: "jwk" });
  for (const token of ctx.foreign) yield { category: "issued by the tenant for another use", token };
  for (const base of ctx.valid) {
    const { header, payload, segments } = parts(base);
    const [h, p, s] = segments;
    for (const alg of ALGS) {
      const swapped = b64json({ ...header, alg });
      yield { category: "alg swap, old signature", token: `${swapped}.${p}.${s}` };
      yield { category: "alg swap, no signature", token: `${swapped}.${p}.` };
    }
    yield { category: "alg none", token: `${b64json({ alg: "none", typ: "JWT" })}.${p}.` };
    yield { category: "alg none", token: `${b64json({ alg: "none" })}.${p}` };
    for (const alg of SIGNING_ALGS) {
      yield {
        category: `signed ${alg} by an attacker`,
        token: compact({ ...header, alg }, payload, alg, attackerKeyFor(alg, ctx.attacker)),
      };
    }
    for (const alg of ["RS384", "RS512", "PS256", "PS384"] as const) {
      yield {
        category: `signed ${alg} with the tenant's own key`,
        token: compact({ ...header, alg }, payload, alg, active.privateKey),
      };
    }
    const secrets: [string, string | Buffer][] = [
      ["spki PEM", spki],
      ["pkcs1 PEM", pkcs1],
      ["JWK JSON", JSON.stringify(publicJwk)],
      ["modulus", Buffer.from(String(publicJwk.n), "base64url")],
      ["modulus text", String(publicJwk.n)],
      ["kid", active.kid],
      ["CA PEM", ctx.caPem],
      ["empty", ""],
    ];
    for (const [name, secret] of secrets) {
      for (const alg of ["HS256", "HS384", "HS512"] as const) {
        yield {
          category: `key confusion ${alg} keyed by the ${name}`,
          token: compact({ ...header, alg }, payload, alg, secret),
        };
      }
    }
    const rs = (extra: Record<string, unknown>, key: KeyObject = ctx.attacker.rsa.privateKey) =>
      compact({ alg: "RS256", typ: "JWT", ...extra }, payload, "RS256", key);
    yield { category: "attacker key, tenant kid", token: rs({ kid: active.kid }) };
    yield { category: "attacker key, unknown kid", token: rs({ kid: "attacker-key-1" }) };
    yield { category: "attacker key, no kid", token: rs({}) };
    yield { category: "jwk header injection", token: rs({ jwk: attackerJwk }) };
    yield { category: "jwk header injection", token: rs({ kid: active.kid, jwk: attackerJwk }) };
    yield {
      category: "jwk header injection",
      token: rs({ kid: "attacker", jwk: { ...attackerJwk, kid: "attacker" } }),
    };
    yield { category: "jku header injection", token: rs({ kid: "a", jku: "https://attacker.invalid/keys" }) };
    yield {
      category: "jku header injection",
      token: rs({ kid: active.kid, jku: "https://attacker.invalid/k" }),
    };
    yield {
      category: "x5u header injection",
      token: rs({ kid: "a", x5u: "https://attacker.invalid/c.pem" }),
    };
    yield { category: "x5c header injection", token: rs({ x5c: [b64(ctx.caPem)] }) };
    yield { category: "kid names the other tenant key", token: rs({ kid: retired.kid }, active.privateKey) };
    yield { category: "kid names the other tenant key", token: rs({ kid: active.kid }, retired.privateKey) };
    yield { category: "tenant key, unknown kid", token: rs({ kid: "unknown-kid" }, active.privateKey) };
    for (const kid of [
      "",
      null,
      0,
      [active.kid],
      { $ne: null },
      "../../../etc/passwd",
      "k".repeat(100_000),
    ]) {
      yield { category: "tenant key, odd kid", token: rs({ kid }, active.privateKey) };
    }
    yield {
      category: "tenant key, unknown crit extension",
      token: rs({ kid: active.kid, crit: ["x-extension"], "x-extension": 1 }, active.privateKey),
    };
    yield {
      category: "tenant key, unencoded payload",
      token: rs({ kid: active.kid, b64: false, crit: ["b64"] }, active.privateKey),
    };
    for (const raw of ["null", "[]", "123", '"claims"', "true", "{", ""]) {
      yield {
        category: "tenant key, payload not a JSON object",
        token: compact({ alg: "RS256", kid: active.kid }, raw, "RS256", active.privateKey),
      };
    }
    yield {
      category: "tenant key, claims hidden under __proto__",
      token: compact(
        { alg: "RS256", kid: active.kid },
        `{"__proto__":${JSON.stringify(payload)}}`,
        "RS256",
        active.privateKey,
      ),
    };
    yield* segmentGarbage(h, p, s, base);
    yield* jsonBombs(header, payload, active);
  }
}

function* segmentGarbage(h: string, p: string, s: string, base: string): Generator<Forged> {
  const shapes = [
    "",
    ".",
    "..",
    "...",
    "a.b.c",
    `${h}.${p}`,
    `${h}.${p}.${s}.`,
    `.${h}.${p}.${s}`,
    `${h}.${p}.${s}.${s}`,
    `${h}.${p}.${s}.${p}.${s}`,
    `${h}.${h}.${s}`,
    `${p}.${p}.${s}`,
    `${p}.${h}.${s}`,
    `${s}.${p}.${h}`,
    `${h}..${s}`,
    `.${p}.${s}`,
    `${h}.${p}.${s}${s}`,
    `${h}.${p}.${[...s].reverse().join("")}`,
    `${base}.${base}`,
    `${base}${base}`,
    ` ${base}`,
    `${base} `,
    `${base}\n`,
    `Bearer ${base}`,
    `${h}.${p}.${s.slice(0, 100)} ${s.slice(100)}`,
    `${h}.${p}.${s.slice(0, 100)}\n${s.slice(100)}`,
    `${h} .${p}.${s}`,
    `${h}=.${p}.${s}`,
    `${h}.${p}=.${s}`,
    `${h}.${p}.${s}=`,
    `${h}.${p}.${s}==`,
    `${h}.${p}.${s.replace(/-/g, "+").replace(/_/g, "/")}`,
    `${h.replace(/-/g, "+").replace(/_/g, "/")}.${p}.${s}`,
    `${h}%2E${p}%2E${s}`,
    base.replace(/\./g, "．"),
    base.toUpperCase(),
  ];
  for (const token of shapes) if (token !== base) yield { category: "segment garbage", token };
}

/** Flips 1–4 bits in 1–3 characters (anywhere; often making non-ASCII or control characters). */
function flipChars(token: string, rng: SeededRandom): string {
  const chars = [...token];
  for (let n = 1 + rng.int(3); n > 0; n--) {
    const i = rng.int(chars.length);
    let code = chars[i]!.codePointAt(0)!;
    for (let bits = 1 + rng.int(4); bits > 0; bits--) code ^= 1 << rng.int(8);
    chars[i] = String.fromCodePoint(code);
  }
  return chars.join("");
}

/** Decodes one segment, flips bits in its bytes, and encodes it again (well-formed base64url). */
function flipDecoded(token: string, rng: SeededRandom): string {
  const segments = token.split(".");
  const which = rng.int(3);
  const bytes = Buffer.from(segments[which]!, "base64url");
  if (bytes.length === 0) return `${token}x`;
  for (let n = 1 + rng.int(3); n > 0; n--) bytes[rng.int(bytes.length)]! ^= 1 << rng.int(8);
  segments[which] = bytes.toString("base64url");
  return segments.join(".");
}

function insertNoise(token: string, rng: SeededRandom): string {
  const i = rng.int(token.length + 1);
  const text = Array.from({ length: 1 + rng.int(4) }, () => NOISE[rng.int(NOISE.length)]).join("");
  return token.slice(0, i) + text + token.slice(i);
}

function insertUnicode(token: string, rng: SeededRandom): string {
  const i = rng.int(token.length + 1);
  const replace = rng.chance(0.5) ? 1 : 0;
  return token.slice(0, i) + rng.pick(UNICODE) + token.slice(i + replace);
}

function deleteChars(token: string, rng: SeededRandom): string {
  const i = rng.int(token.length);
  return token.slice(0, i) + token.slice(i + 1 + rng.int(3));
}

function swapChars(token: string, rng: SeededRandom): string {
  const chars = [...token];
  const i = rng.int(chars.length);
  const j = rng.int(chars.length);
  [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  return chars.join("");
}

/** Header, payload and signature taken from different valid tokens. */
function splice(ctx: FuzzContext, rng: SeededRandom): string {
  const pick = (i: number) => rng.pick(ctx.valid).split(".")[i];
  return `${pick(0)}.${pick(1)}.${pick(2)}`;
}

function claimEdit(token: string, rng: SeededRandom, signing: "keep" | "attacker", ctx: FuzzContext): string {
  const { header, payload, segments } = parts(token);
  for (let n = 1 + rng.int(2); n > 0; n--) applyEdit(rng.pick(ANY_EDITS), payload, ctx);
  if (signing === "keep") return `${segments[0]}.${b64json(payload)}.${segments[2]}`;
  return compact(header, payload, "RS256", ctx.attacker.rsa.privateKey);
}

/** A fatal claim edit, signed with the tenant's real key: only the claim checks can refuse it. */
function resignedBadClaims(
  token: string,
  rng: SeededRandom,
  ctx: FuzzContext,
): { edit: string; token: string } {
  const { header, payload } = parts(token);
  const edited = applyEdit(rng.pick(FATAL_EDITS), payload, ctx);
  return { edit: edited, token: compact(header, payload, "RS256", ctx.keys[0].privateKey) };
}

function headerEdit(token: string, rng: SeededRandom, ctx: FuzzContext): string {
  const { header, segments } = parts(token) as Parts;
  const edits: Edit[] = [
    edit("kid", (x) => x.keys[1].kid),
    edit("kid", DELETE),
    edit("typ", "at+jwt"),
    edit("alg", () => rng.pick(ALGS)),
    edit("jku", "https://attacker.invalid/keys"),
    edit("x5t", "x"),
  ];
  applyEdit(rng.pick(edits), header, ctx);
  return `${b64json(header)}.${segments[1]}.${segments[2]}`;
}

import { OTHER_GUID } from "./claim-edits.js";
import { b64, b64json, compact, parts } from "./jwt-forge.js";
import type { SeededRandom } from "./seeded-random.js";
import type { Forged, FuzzContext, TenantKey } from "./token-mutations.js";

/** Forged tokens meant to cost time or memory: JSON bombs and inputs of megabytes. */

/**
 * Deeply nested and very wide JSON, at two sizes: past any sane token length, and small enough that
 * a validator without a length limit would parse it.
 */
export function* jsonBombs(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  key: TenantKey,
): Generator<Forged> {
  const headerText = JSON.stringify(header);
  const payloadText = JSON.stringify(payload);
  const headerWith = (extra: string) => `${headerText.slice(0, -1)},${extra}}`;
  const payloadWith = (extra: string) => `${payloadText.slice(0, -1)},${extra}}`;
  const raw = (h: string, p: string, signed: boolean) =>
    signed ? compact(h, p, "RS256", key.privateKey) : `${b64(h)}.${b64(p)}.${b64("sig")}`;
  for (const [size, scale] of [
    ["small", 1],
    ["big", 30],
  ] as const) {
    const nested = `${"[".repeat(3000 * scale)}${"]".repeat(3000 * scale)}`;
    const nestedObject = `${'{"a":'.repeat(1000 * scale)}1${"}".repeat(1000 * scale)}`;
    const keys = Array.from({ length: 1000 * scale }, (_, i) => `"k${i}":${i}`).join(",");
    for (const signed of [false, true]) {
      const tag = `${size}${signed ? ", signed by the tenant key" : ""}`;
      yield { category: `JSON bomb: nested header (${tag})`, token: raw(nested, payloadText, signed) };
      yield { category: `JSON bomb: nested payload (${tag})`, token: raw(headerText, nestedObject, signed) };
      yield {
        category: `JSON bomb: header without alg (${tag})`,
        token: raw(`{${keys}}`, payloadText, signed),
      };
      yield {
        category: `JSON bomb: infinite exp (${tag})`,
        token: raw(headerText, payloadWith(`"exp":1e400,"nbf":-1e400`), signed),
      };
      yield {
        category: `JSON bomb: nested scp (${tag})`,
        token: raw(headerText, payloadWith(`"scp":${nested}`), signed),
      };
      yield {
        category: `JSON bomb: wide roles (${tag})`,
        token: raw(headerText, payloadWith(`"roles":{${keys}}`), signed),
      };
      // Only without the tenant's signature: an odd header field is no reason to refuse a signed token.
      if (!signed) {
        yield {
          category: `JSON bomb: nested header field (${tag})`,
          token: raw(headerWith(`"x":${nested}`), payloadText, false),
        };
      }
    }
  }
  yield {
    category: "invalid UTF-8",
    token: `${b64(Buffer.from([0xff, 0xfe, 0xfd]))}.${b64(payloadText)}.${b64("x")}`,
  };
  yield {
    category: "invalid UTF-8, signed by the tenant key",
    token: compact(headerText, Buffer.from([0x7b, 0xff, 0x7d]).toString("latin1"), "RS256", key.privateKey),
  };
}

export function* hugeInputs(ctx: FuzzContext, rng: SeededRandom): Generator<Forged> {
  const { header, payload, segments } = parts(ctx.valid[0]!);
  const [h, p, s] = segments;
  const mb = 1024 * 1024;
  const noise = (n: number) => rng.bytes(n).toString("base64url").slice(0, n);
  yield {
    category: "huge: 1 MB header field",
    token: `${b64json({ ...header, x: "a".repeat(mb) })}.${p}.${s}`,
  };
  yield {
    category: "huge: 2 MB payload field",
    token: `${h}.${b64json({ ...payload, x: "a".repeat(2 * mb) })}.${s}`,
  };
  yield { category: "huge: 4 MB signature", token: `${h}.${p}.${noise(4 * mb)}` };
  yield { category: "huge: 8 MB single segment", token: "a".repeat(8 * mb) };
  yield { category: "huge: 1 MB of dots", token: ".".repeat(mb) };
  yield { category: "huge: the token 500 times", token: Array(500).fill(ctx.valid[0]).join(".") };
  yield { category: "huge: 3 MB random segments", token: `${noise(mb)}.${noise(mb)}.${noise(mb)}` };
  yield {
    category: "huge: 2 MB payload, signed by the tenant key",
    token: compact(
      header,
      { ...payload, x: "a".repeat(2 * mb), tid: OTHER_GUID },
      "RS256",
      ctx.keys[0].privateKey,
    ),
  };
}

import { createHash, randomBytes } from "node:crypto";

/**
 * The OAuth steps by hand with plain fetch, for the fixtures' self-checks: an independent client that
 * follows the RFC text rather than any SDK.
 */

/** RFC 7636 §4.1–4.2: a verifier of 43 unreserved characters and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

export interface JsonAnswer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

async function answer(response: Response): Promise<JsonAnswer> {
  const text = await response.text();
  return {
    status: response.status,
    body: text === "" ? {} : (JSON.parse(text) as Record<string, unknown>),
    headers: response.headers,
  };
}

export async function getJson(url: string): Promise<JsonAnswer> {
  return answer(await fetch(url));
}

/** RFC 7591 §3.1. */
export async function registerClient(
  endpoint: string,
  metadata: Record<string, unknown>,
): Promise<JsonAnswer> {
  return answer(
    await fetch(endpoint, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(metadata),
    }),
  );
}

/** RFC 6749 §4.1.1 without following the redirect: the `Location` (or the refusal) as the AS sent it. */
export async function authorizeOnce(
  endpoint: string,
  params: Record<string, string | string[]>,
): Promise<{ status: number; location?: URL; body?: Record<string, unknown> }> {
  const url = new URL(endpoint);
  for (const [name, value] of Object.entries(params)) {
    for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(name, item);
  }
  const response = await fetch(url, { redirect: "manual" });
  const location = response.headers.get("location");
  if (location) return { status: response.status, location: new URL(location) };
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** RFC 6749 §3.2 with optional HTTP Basic client authentication (§2.3.1: form-urlencoded id and secret). */
export async function tokenRequest(
  endpoint: string,
  params: Record<string, string | string[]>,
  basic?: { id: string; secret: string },
): Promise<JsonAnswer> {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    for (const item of Array.isArray(value) ? value : [value]) form.append(name, item);
  }
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (basic) {
    const encode = (value: string) => new URLSearchParams({ v: value }).toString().slice(2);
    headers.authorization = `Basic ${Buffer.from(`${encode(basic.id)}:${encode(basic.secret)}`).toString("base64")}`;
  }
  return answer(await fetch(endpoint, { method: "POST", headers, body: form }));
}

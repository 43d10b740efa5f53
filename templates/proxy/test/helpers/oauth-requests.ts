import { createHash, randomBytes } from "node:crypto";
import type { TestBrowser } from "./browser.js";
import type { Harness } from "./harness.js";
import { TEST_REDIRECT_URI } from "./oauth-client.js";

/** The proxy's endpoints called by hand, for the checks the MCP SDK client would never provoke. */

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

export async function register(
  h: Harness,
  metadata: Record<string, unknown> = {},
): Promise<{ status: number; body: Record<string, string> }> {
  const response = await fetch(`${h.origin}/register`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      client_name: "hand-made client",
      redirect_uris: [TEST_REDIRECT_URI],
      grant_types: ["authorization_code", "refresh_token"],
      token_endpoint_auth_method: "none",
      ...metadata,
    }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

/** A proxy /authorize URL with sensible defaults; `undefined` leaves a parameter out. */
export function authorizeUrl(h: Harness, params: Record<string, string | undefined>): URL {
  const url = new URL(`${h.origin}/authorize`);
  const all: Record<string, string | undefined> = {
    response_type: "code",
    redirect_uri: TEST_REDIRECT_URI,
    scope: h.registration.scope,
    resource: h.url,
    state: "client-state",
    code_challenge_method: "S256",
    ...params,
  };
  for (const [name, value] of Object.entries(all)) if (value !== undefined) url.searchParams.set(name, value);
  return url;
}

/** GET without following redirects. */
export async function getRaw(url: URL | string): Promise<Response> {
  return fetch(url, { redirect: "manual" });
}

/**
 * Signs in as the client through the proxy and Entra, with a browser whose person allows the client
 * if asked, and returns the proxy's code.
 */
export async function signInForCode(
  h: Harness,
  clientId: string,
  challenge: string,
  browser: TestBrowser = h.newBrowser(),
): Promise<string> {
  const back = await browser.visit(
    authorizeUrl(h, { client_id: clientId, code_challenge: challenge }),
    TEST_REDIRECT_URI,
  );
  const code = back?.searchParams.get("code");
  if (!code) throw new Error(`No code: ${back?.href ?? browser.page?.html}`);
  return code;
}

export async function token(
  h: Harness,
  params: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, string>; headers: Headers }> {
  const response = await fetch(`${h.origin}/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(params),
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, string>,
    headers: response.headers,
  };
}

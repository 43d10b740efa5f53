import { randomUUID } from "node:crypto";
import { gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { trustedFetch } from "../../../src/entra/trust.js";
import type { DevTenant } from "../../../src/tenant/index.js";
import { useDevTenant } from "../../helpers/dev-tenant.js";
import { type SeededApp, seedApp } from "../../helpers/seed-apps.js";

interface Answer {
  status: number;
  contentType: string | null;
  cacheControl: string | null;
  pragma: string | null;
  body: Record<string, unknown>;
}

/**
 * The token endpoint as the wire carries a request: the path in any case, repeated parameters,
 * oversized or compressed bodies, and what the request log keeps of it.
 */
describe("token endpoint over HTTP", () => {
  const tenant = useDevTenant();
  let t: DevTenant;
  let api: SeededApp;
  let client: SeededApp;

  beforeAll(async () => {
    t = tenant();
    api = await seedApp(t, { displayName: "api", tokenVersion: 2 });
    client = await seedApp(t, { displayName: "client", identifierUri: false, secret: true });
  });

  async function post(form: string, how: "plain" | "gzip" = "plain", path?: string): Promise<Answer> {
    const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
    if (how === "gzip") headers["content-encoding"] = "gzip";
    const response = await trustedFetch([t.caPem])(`${t.url}${path ?? `/${t.tenantId}/oauth2/v2.0/token`}`, {
      method: "POST",
      headers,
      body: how === "gzip" ? gzipSync(form) : form,
    });
    return {
      status: response.status,
      contentType: response.headers.get("content-type"),
      cacheControl: response.headers.get("cache-control"),
      pragma: response.headers.get("pragma"),
      body: (await response.json()) as Record<string, unknown>,
    };
  }

  const credentials = () => ({
    grant_type: "client_credentials",
    client_id: client.appId,
    client_secret: client.secret!,
    scope: `${api.uri}/.default`,
  });

  it("issues a token with no-store headers", async () => {
    const answer = await post(new URLSearchParams(credentials()).toString());
    expect(answer).toMatchObject({
      status: 200,
      contentType: "application/json; charset=utf-8",
      cacheControl: "no-store",
      pragma: "no-cache",
      body: { token_type: "Bearer", scope: `${api.uri}/.default` },
    });
    expect(answer.body.access_token).toEqual(expect.any(String));
  });

  it("matches the path case-insensitively, with or without a trailing slash", async () => {
    const form = new URLSearchParams(credentials()).toString();
    const answer = await post(form, "plain", `/${t.tenantId.toUpperCase()}/OAuth2/V2.0/Token/`);
    expect(answer.status).toBe(200);
  });

  it("answers an AADSTS error in Entra's shape, correlated with client-request-id", async () => {
    const correlation = randomUUID();
    const form = new URLSearchParams({
      ...credentials(),
      client_secret: "wrong",
      "client-request-id": correlation,
    }).toString();
    const answer = await post(form);
    expect(answer).toMatchObject({
      status: 401,
      cacheControl: "no-store",
      body: { error: "invalid_client", error_codes: [7000215], correlation_id: correlation },
    });
  });

  it("refuses a repeated parameter as invalid_request, naming it (RFC 6749 §3.1)", async () => {
    for (const name of ["grant_type", "client_secret"] as const) {
      const form = `${new URLSearchParams(credentials())}&${name}=${encodeURIComponent(credentials()[name])}`;
      const answer = await post(form);
      expect(answer).toMatchObject({
        status: 400,
        body: {
          error: "invalid_request",
          error_description: `The parameter '${name}' is included more than once.`,
        },
      });
    }
  });

  it("refuses a body over 256 kB (413), and a compressed one (415), naming the problem", async () => {
    const big = `${new URLSearchParams(credentials())}&padding=${"x".repeat(256 * 1024)}`;
    expect(await post(big)).toMatchObject({
      status: 413,
      body: { error: "invalid_request", error_description: "The request body is larger than 256 kB." },
    });
    expect(await post(new URLSearchParams(credentials()).toString(), "gzip")).toMatchObject({
      status: 415,
      body: {
        error: "invalid_request",
        error_description: "The token endpoint takes an uncompressed UTF-8 form body.",
      },
    });
  });

  it("records token requests in the request log", async () => {
    t.clearRequestLog();
    await post(new URLSearchParams(credentials()).toString(), "plain");
    const wrong = new URLSearchParams({ ...credentials(), client_secret: "wrong" }).toString();
    await post(wrong, "plain", `/${t.tenantId}/oauth2/v2.0/token?x=1`);
    expect(t.requestLog().map(({ kind, method, path, status }) => ({ kind, method, path, status }))).toEqual([
      { kind: "identity", method: "POST", path: `/${t.tenantId}/oauth2/v2.0/token`, status: 200 },
      { kind: "identity", method: "POST", path: `/${t.tenantId}/oauth2/v2.0/token`, status: 401 },
    ]);
  });
});

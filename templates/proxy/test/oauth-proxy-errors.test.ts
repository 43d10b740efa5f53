import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pageText } from "./helpers/browser.js";
import { type Harness, startHarness } from "./helpers/harness.js";
import { TEST_REDIRECT_URI } from "./helpers/oauth-client.js";
import { authorizeUrl, getRaw, pkcePair, register, signInForCode, token } from "./helpers/oauth-requests.js";

/** The proxy's error page: HTML that cannot be framed or run script, naming the OAuth error. */
async function expectErrorPage(response: Response, error: string): Promise<void> {
  expect(response.headers.get("content-type")).toMatch(/^text\/html/);
  expect(response.headers.get("content-security-policy")).toMatch(
    /default-src 'none'.*frame-ancestors 'none'/,
  );
  expect(pageText(await response.text())).toContain(`Error: ${error}`);
}

/**
 * What the proxy refuses, and how: RFC 6749 / RFC 7591 errors; a page for the person at the browser,
 * never a redirect to a redirect URI nobody has chosen to trust (RFC 9700 §4.11.2).
 */
describe("the OAuth proxy refuses", () => {
  let h: Harness;
  let publicClient: string;
  beforeAll(async () => {
    h = await startHarness();
    publicClient = (await register(h)).body.client_id!;
  });
  afterAll(async () => {
    await h?.stop();
  });

  describe("at /register, with RFC 7591 errors", () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ["no redirect URIs", { redirect_uris: [] }, "invalid_redirect_uri"],
      ["plain http off this machine", { redirect_uris: ["http://example.com/cb"] }, "invalid_redirect_uri"],
      ["a custom scheme", { redirect_uris: ["myapp://callback"] }, "invalid_redirect_uri"],
      ["a script URI", { redirect_uris: ["javascript:alert(1)"] }, "invalid_redirect_uri"],
      ["a fragment", { redirect_uris: ["https://client.example/cb#x"] }, "invalid_redirect_uri"],
      [
        "an unknown auth method",
        { token_endpoint_auth_method: "private_key_jwt" },
        "invalid_client_metadata",
      ],
      ["the implicit grant", { grant_types: ["implicit"] }, "invalid_client_metadata"],
      ["a token response type", { response_types: ["token"] }, "invalid_client_metadata"],
    ];
    it.each(cases)("%s", async (_name, metadata, error) => {
      const response = await register(h, metadata);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ error, error_description: expect.any(String) });
    });

    it("a body that is not JSON", async () => {
      const response = await fetch(`${h.origin}/register`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: "{not json",
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: "invalid_client_metadata" });
    });

    it("nothing else: https and loopback redirect URIs register, a secret only for secret methods", async () => {
      const ok = await register(h, {
        redirect_uris: ["https://client.example/cb", "http://localhost:33418/", "http://[::1]:9/cb"],
      });
      expect(ok.status).toBe(201);
      expect(ok.body).toMatchObject({ token_endpoint_auth_method: "none", response_types: ["code"] });
      expect(ok.body.client_secret).toBeUndefined();
      const { body } = await register(h, { token_endpoint_auth_method: undefined });
      expect(body).toMatchObject({
        token_endpoint_auth_method: "client_secret_basic",
        client_secret_expires_at: 0,
      });
      expect(body.client_secret).toMatch(/^[\w-]{43}$/);
    });
  });

  describe("at /authorize, on a page, without redirecting", () => {
    const refused = async (url: URL, error: string) => {
      const response = await getRaw(url);
      expect(response.status).toBe(400);
      expect(response.headers.get("location")).toBeNull();
      await expectErrorPage(response, error);
    };

    it("an unknown client", async () => {
      await refused(
        authorizeUrl(h, { client_id: "mcp-unknown", code_challenge: pkcePair().challenge }),
        "invalid_client",
      );
    });

    it("a redirect URI the client did not register, even one differing only in port or a slash", async () => {
      for (const redirect of [
        "https://attacker.example/cb",
        "http://127.0.0.1:8977/callback",
        `${TEST_REDIRECT_URI}/`,
      ]) {
        await refused(
          authorizeUrl(h, {
            client_id: publicClient,
            redirect_uri: redirect,
            code_challenge: pkcePair().challenge,
          }),
          "invalid_request",
        );
      }
    });
  });

  it("the open redirector (RFC 9700 §4.11.2): a bad request for an https redirect URI gets a page, not a 302", async () => {
    const { body: attacker } = await register(h, { redirect_uris: ["https://attacker.example/cb"] });
    const response = await getRaw(
      authorizeUrl(h, {
        client_id: attacker.client_id,
        redirect_uri: "https://attacker.example/cb",
        response_type: "x",
      }),
    );
    expect(response.status).toBe(400);
    expect(response.headers.get("location")).toBeNull();
    await expectErrorPage(response, "unsupported_response_type");
  });

  describe("at /authorize, redirecting the error to a client on this machine (loopback), with its state", () => {
    const challenge = pkcePair().challenge;
    const cases: [string, Record<string, string | undefined>, string][] = [
      ["no PKCE", { code_challenge: undefined, code_challenge_method: undefined }, "invalid_request"],
      ["PKCE plain", { code_challenge: challenge, code_challenge_method: "plain" }, "invalid_request"],
      [
        "another resource",
        { code_challenge: challenge, resource: "https://other.example/mcp" },
        "invalid_target",
      ],
      [
        "a scope of another API",
        { code_challenge: challenge, scope: "https://graph.microsoft.com/User.Read" },
        "invalid_scope",
      ],
      [
        "the implicit flow",
        { code_challenge: challenge, response_type: "token" },
        "unsupported_response_type",
      ],
    ];
    it.each(cases)("%s", async (_name, params, error) => {
      const response = await getRaw(authorizeUrl(h, { client_id: publicClient, ...params }));
      expect(response.status).toBe(302);
      const location = new URL(response.headers.get("location")!);
      expect(location.href.startsWith(TEST_REDIRECT_URI)).toBe(true);
      expect(Object.fromEntries(location.searchParams)).toMatchObject({
        error,
        state: "client-state",
        iss: h.origin,
      });
    });
  });

  it("a callback from Entra with an unknown state, on a page, without redirecting", async () => {
    const response = await getRaw(`${h.origin}/oauth/callback?code=x&state=forged`);
    expect(response.status).toBe(400);
    expect(response.headers.get("location")).toBeNull();
    await expectErrorPage(response, "invalid_request");
  });

  describe("at /token, with RFC 6749 errors", () => {
    it("an unknown or unauthenticated client: 401 invalid_client", async () => {
      const unknown = await token(h, {
        grant_type: "authorization_code",
        client_id: "mcp-unknown",
        code: "x",
      });
      expect(unknown.status).toBe(401);
      expect(unknown.body.error).toBe("invalid_client");

      const { body: confidential } = await register(h, { token_endpoint_auth_method: "client_secret_basic" });
      const basic = (secret: string) =>
        `Basic ${Buffer.from(`${confidential.client_id}:${secret}`).toString("base64")}`;
      const wrong = await token(
        h,
        { grant_type: "refresh_token", refresh_token: "x" },
        { Authorization: basic("nope") },
      );
      expect(wrong.status).toBe(401);
      expect(wrong.headers.get("www-authenticate")).toMatch(/^Basic /);
      const inBody = await token(h, {
        grant_type: "refresh_token",
        refresh_token: "x",
        client_id: confidential.client_id!,
        client_secret: confidential.client_secret!,
      });
      expect(inBody.status).toBe(401);
      const right = await token(
        h,
        { grant_type: "refresh_token", refresh_token: "x" },
        {
          Authorization: basic(confidential.client_secret!),
        },
      );
      expect(right.body.error).toBe("invalid_grant");

      const publicWithSecret = await token(h, {
        grant_type: "refresh_token",
        refresh_token: "x",
        client_id: publicClient,
        client_secret: "anything",
      });
      expect(publicWithSecret.status).toBe(401);
    });

    it("a grant type it does not offer", async () => {
      const response = await token(h, { grant_type: "client_credentials", client_id: publicClient });
      expect(response.body.error).toBe("unsupported_grant_type");
    });

    it("a code redeemed by another client, with another redirect URI, or for another resource", async () => {
      const pkce = pkcePair();
      const { body: other } = await register(h);
      const redeem = async (params: Record<string, string>) => {
        const code = await signInForCode(h, publicClient, pkce.challenge);
        return token(h, {
          grant_type: "authorization_code",
          client_id: publicClient,
          code,
          redirect_uri: TEST_REDIRECT_URI,
          code_verifier: pkce.verifier,
          ...params,
        });
      };
      expect((await redeem({ client_id: other.client_id! })).body.error).toBe("invalid_grant");
      expect((await redeem({ redirect_uri: "http://127.0.0.1:8977/callback" })).body.error).toBe(
        "invalid_grant",
      );
      expect((await redeem({ resource: "https://other.example/mcp" })).body.error).toBe("invalid_target");
      expect((await redeem({})).status).toBe(200);
    });
  });
});

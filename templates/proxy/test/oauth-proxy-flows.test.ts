import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { auth, type Client } from "@modelcontextprotocol/client";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDocumentFetch, DocumentFetchError } from "../src/oauth-proxy/document-fetch.js";
import { pageText } from "./helpers/browser.js";
import { type Harness, startHarness } from "./helpers/harness.js";
import {
  type MetadataDocumentServer,
  startMetadataDocumentServer,
} from "./helpers/metadata-document-server.js";
import { connectWithSignIn, TEST_REDIRECT_URI, TestOAuthClient } from "./helpers/oauth-client.js";
import { authorizeUrl, getRaw, pkcePair, register, signInForCode, token } from "./helpers/oauth-requests.js";

/**
 * MCP clients signing in through the proxy: real HTTP, the MCP SDK's own OAuth client, a dev tenant
 * that signs the test user in without a page (auto-approve) and checks the proxy's PKCE, and a
 * browser whose person allows each new client on the proxy's consent page.
 */
/** The `code`s along an error's chain of causes. */
function causes(error: unknown): string[] {
  const codes: string[] = [];
  for (
    let current = error as { code?: string; cause?: unknown } | undefined;
    current;
    current = current.cause as typeof current
  ) {
    if (current.code) codes.push(current.code);
  }
  return codes;
}

describe("signing in through the OAuth proxy", () => {
  let h: Harness;
  let documents: MetadataDocumentServer;
  beforeAll(async () => {
    h = await startHarness();
    documents = await startMetadataDocumentServer(h.tenant);
  });
  afterAll(async () => {
    await documents?.stop();
    await h?.stop();
  });

  const text = (result: Awaited<ReturnType<Client["callTool"]>>) =>
    (result.content as { type: string; text: string }[])[0]?.text ?? "";

  async function expectToolsWork(client: Client): Promise<void> {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(["server_time", "whoami", "server_status"]);
    expect((await client.callTool({ name: "server_time" })).isError).toBeFalsy();
    const me = await client.callTool({ name: "whoami" });
    expect(me.isError, text(me)).toBeFalsy();
    expect(JSON.parse(text(me))).toMatchObject({ userPrincipalName: h.registration.users.admin });
  }

  it("publishes authorization server metadata, and Protected Resource Metadata points at it", async () => {
    const metadata = await (await fetch(`${h.origin}/.well-known/oauth-authorization-server`)).json();
    expect(metadata).toMatchObject({
      issuer: h.origin,
      authorization_endpoint: `${h.origin}/authorize`,
      token_endpoint: `${h.origin}/token`,
      registration_endpoint: `${h.origin}/register`,
      scopes_supported: [h.registration.scope],
      code_challenge_methods_supported: ["S256"],
      token_endpoint_auth_methods_supported: ["none", "client_secret_post", "client_secret_basic"],
      client_id_metadata_document_supported: true,
    });
    for (const path of [
      "/.well-known/oauth-protected-resource/mcp",
      "/.well-known/oauth-protected-resource",
    ]) {
      expect(await (await fetch(`${h.origin}${path}`)).json()).toEqual({
        resource: h.url,
        authorization_servers: [h.origin],
        scopes_supported: [h.registration.scope],
        bearer_methods_supported: ["header"],
      });
    }
  });

  it("a DCR client registers, signs in through Entra with PKCE at both hops, and calls tools", async () => {
    const provider = new TestOAuthClient(h.newBrowser());
    const client = await connectWithSignIn(h.url, provider);
    expect(provider.information?.client_id).toMatch(/^mcp-/);

    const [atProxy, atEntra, atCallback, atConsent, allowed, atClient] = provider.hops as URL[] as [
      URL,
      URL,
      URL,
      URL,
      URL,
      URL,
    ];
    expect(`${atProxy.origin}${atProxy.pathname}`).toBe(`${h.origin}/authorize`);
    expect(atProxy.searchParams.get("resource")).toBe(h.url);
    expect(atProxy.searchParams.get("code_challenge_method")).toBe("S256");
    expect(`${atEntra.origin}${atEntra.pathname}`).toBe(h.tenant.urls.authorize);
    expect(Object.fromEntries(atEntra.searchParams)).toMatchObject({
      client_id: h.registration.apiAppId,
      response_type: "code",
      redirect_uri: `${h.origin}/oauth/callback`,
      scope: `${h.registration.scope} openid profile offline_access`,
      code_challenge_method: "S256",
    });
    // The proxy's own PKCE and state towards Entra, not the client's.
    expect(atEntra.searchParams.get("code_challenge")).toMatch(/^[\w-]{43}$/);
    expect(atEntra.searchParams.get("code_challenge")).not.toBe(atProxy.searchParams.get("code_challenge"));
    expect(atEntra.searchParams.get("state")).not.toBe(provider.lastState);
    // The Application ID URI is api://…, not the server URL: Entra would refuse `resource` (AADSTS9010010).
    expect(atEntra.searchParams.has("resource")).toBe(false);
    expect(`${atCallback.origin}${atCallback.pathname}`).toBe(`${h.origin}/oauth/callback`);
    // A new client: the user was asked on the proxy's own page, and allowed it (a form POST).
    expect(`${atConsent.origin}${atConsent.pathname}`).toBe(`${h.origin}/oauth/consent`);
    expect(allowed.href).toBe(`${h.origin}/oauth/consent`);
    expect(pageText(provider.browser.page!.html)).toContain("proxy test client");
    expect(atClient.href.startsWith(TEST_REDIRECT_URI)).toBe(true);
    expect(atClient.searchParams.get("iss")).toBe(h.origin);

    const tokens = provider.savedTokens!;
    expect(decodeJwt(tokens.access_token)).toMatchObject({
      iss: `${h.tenant.url}/${h.tenant.tenantId}/v2.0`,
      aud: h.registration.apiAppId,
      scp: "user_impersonation",
      preferred_username: h.registration.users.admin,
    });
    expect(tokens.refresh_token).toMatch(/^mcp-rt2\./);
    await expectToolsWork(client);
    await client.close();
  });

  it("a 2025-11-25 client signs in the same way (with iss in the answer) and calls tools", async () => {
    const provider = new TestOAuthClient(h.newBrowser());
    const client = await connectWithSignIn(h.url, provider, "2025-11-25");
    expect(client.getProtocolEra()).toBe("legacy");
    expect(provider.hops.at(-1)!.searchParams.get("iss")).toBe(h.origin);
    await expectToolsWork(client);
    await client.close();
  });

  it("a CIMD client signs in with its metadata document URL as client_id, unregistered", async () => {
    const path = "/clients/cimd-test.json";
    const clientId = documents.serve(path, {
      client_id: `${documents.origin}${path}`,
      client_name: "CIMD test client",
      redirect_uris: [TEST_REDIRECT_URI],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
    });
    const provider = new TestOAuthClient(h.newBrowser(), { clientMetadataUrl: clientId });
    const client = await connectWithSignIn(h.url, provider);
    expect(provider.information?.client_id).toBe(clientId);
    expect(provider.hops[0]!.searchParams.get("client_id")).toBe(clientId);
    // The consent page names what identifies it: the host of its metadata document.
    expect(pageText(provider.browser.page!.html)).toContain(
      `Identified by its metadata document at ${new URL(documents.origin).host}`,
    );
    expect(documents.hits.get(path)).toBe(1);
    await expectToolsWork(client);
    await client.close();
    expect(await auth(provider, { serverUrl: h.url })).toBe("AUTHORIZED");
    const registrations = await readFile(join(h.config.proxy.stateDir, "clients.json"), "utf8");
    expect(registrations).not.toContain(clientId);
  });

  it("refuses metadata documents that name another client, hold a secret, are not JSON or redirect", async () => {
    const bad: [string, unknown, number?][] = [
      [
        "/clients/other.json",
        { client_id: "https://elsewhere.example/client.json", redirect_uris: [TEST_REDIRECT_URI] },
      ],
      ["/clients/secret.json", { redirect_uris: [TEST_REDIRECT_URI], client_secret: "x" }],
      [
        "/clients/confidential.json",
        { redirect_uris: [TEST_REDIRECT_URI], token_endpoint_auth_method: "client_secret_post" },
      ],
      ["/clients/plain-http.json", { redirect_uris: ["http://example.com/callback"] }],
      ["/clients/not-json.json", "<html></html>"],
      ["/clients/moved.json", `${documents.origin}/clients/cimd-test.json`, 302],
      ["/clients/huge.json", { redirect_uris: [TEST_REDIRECT_URI], client_name: "x".repeat(6000) }],
    ];
    for (const [path, body, status] of bad) {
      const id = `${documents.origin}${path}`;
      documents.serve(
        path,
        typeof body === "object" && body && !("client_id" in body) ? { client_id: id, ...body } : body,
        status,
      );
      const response = await getRaw(authorizeUrl(h, { client_id: id, code_challenge: pkcePair().challenge }));
      expect(response.status, path).toBe(400);
      expect(response.headers.get("location"), path).toBeNull();
      expect(pageText(await response.text()), path).toContain("Error: invalid_client");
    }
  });

  it("fetches metadata documents from private addresses only when allowed (SSRF)", async () => {
    const url = documents.serve("/clients/ssrf.json", { ok: true });
    const guarded = createDocumentFetch({ allowPrivateNetwork: false });
    // localhost resolves to a loopback address: refused when connecting, as any internal name would be.
    const refused = await guarded(url).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DocumentFetchError);
    expect(causes(refused)).toContain("EPRIVATEADDRESS");
    await expect(guarded(url.replace("localhost", "127.0.0.1"))).rejects.toThrow(/private or loopback/);
    await expect(guarded("https://169.254.169.254/latest/meta-data")).rejects.toThrow(/private or loopback/);
    expect(documents.hits.get("/clients/ssrf.json")).toBeUndefined();
    const open = createDocumentFetch({ allowPrivateNetwork: true });
    await expect(open(url)).resolves.toEqual({ ok: true });
  });

  it("checks the client's PKCE: a wrong code_verifier is invalid_grant and spends the code", async () => {
    const { body: client } = await register(h);
    const pkce = pkcePair();
    const code = await signInForCode(h, client.client_id!, pkce.challenge);
    const redeem = (verifier: string) =>
      token(h, {
        grant_type: "authorization_code",
        client_id: client.client_id!,
        code,
        redirect_uri: TEST_REDIRECT_URI,
        code_verifier: verifier,
      });
    const wrong = await redeem(pkcePair().verifier);
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe("invalid_grant");
    expect((await redeem(pkce.verifier)).body.error).toBe("invalid_grant");

    const again = await signInForCode(h, client.client_id!, pkce.challenge);
    const right = await token(h, {
      grant_type: "authorization_code",
      client_id: client.client_id!,
      code: again,
      redirect_uri: TEST_REDIRECT_URI,
      code_verifier: pkce.verifier,
      resource: h.url,
    });
    expect(right.status).toBe(200);
    expect(right.headers.get("cache-control")).toBe("no-store");
    expect(right.body).toMatchObject({ token_type: "Bearer", scope: h.registration.scope });
    const replay = await redeem(pkce.verifier);
    expect(replay.body.error).toBe("invalid_grant");
  });

  it("Entra checks the proxy's PKCE: its code is useless without the proxy's verifier", async () => {
    const { body: client } = await register(h);
    const browser = h.newBrowser();
    const callback = (await browser.visit(
      authorizeUrl(h, { client_id: client.client_id, code_challenge: pkcePair().challenge }),
      `${h.origin}/oauth/callback`,
    ))!;
    const stolen = await h.browserFetch(h.tenant.urls.token, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        client_id: h.registration.apiAppId,
        client_secret: h.registration.env.ENTRA_CLIENT_SECRET!,
        code: callback.searchParams.get("code")!,
        redirect_uri: `${h.origin}/oauth/callback`,
        scope: h.registration.scope,
      }),
    });
    expect(stolen.status).toBe(400);
    expect(((await stolen.json()) as { error_codes: number[] }).error_codes).toContain(50148);
    // The proxy cannot redeem it after that either (Entra's codes are single use): the client hears so
    // (its redirect URI is on this machine, so errors go there rather than to a page).
    const back = await browser.request(callback);
    const location = new URL(back.headers.get("location")!);
    expect(location.href.startsWith(TEST_REDIRECT_URI)).toBe(true);
    expect(Object.fromEntries(location.searchParams)).toMatchObject({
      error: "server_error",
      state: "client-state",
    });
  });

  it("keeps registrations (0600), consents and refresh tokens working across a restart", async () => {
    const provider = new TestOAuthClient(h.newBrowser(), { authMethod: "client_secret_basic" });
    await (await connectWithSignIn(h.url, provider)).close();
    const { client_id: clientId, client_secret: secret } = provider.information as {
      client_id: string;
      client_secret?: string;
    };
    expect(secret).toBeTruthy();
    const file = join(h.config.proxy.stateDir, "clients.json");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(h.config.proxy.stateDir)).mode & 0o777).toBe(0o700);
    const stored = await readFile(file, "utf8");
    expect(stored).toContain(clientId);
    expect(stored).not.toContain(secret);

    await h.restart();
    expect(await auth(provider, { serverUrl: h.url })).toBe("AUTHORIZED");
    provider.savedTokens = undefined;
    const client = await connectWithSignIn(h.url, provider);
    expect(provider.information?.client_id).toBe(clientId);
    // The user's consent outlived the restart too: no page this time.
    expect(provider.hops.map((hop) => hop.pathname)).not.toContain("/oauth/consent");
    expect((await client.callTool({ name: "server_time" })).isError).toBeFalsy();
    await client.close();
  });

  it("never logs a token, a code or a secret", () => {
    const logs = h.logs.join("\n");
    expect(logs).toContain('"message":"tokens issued"');
    expect(logs).not.toMatch(/eyJ[\w-]+\.eyJ|mcp-rt\d\.|"code":|"client_secret"|refresh_token=|"csrf"/);
    expect(logs).not.toContain(h.registration.env.ENTRA_CLIENT_SECRET!);
  });
});

describe("with the Application ID URI set to the server URL", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ appIdUriIsServerUrl: true });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("passes `resource` on to Entra, which accepts it there, and the flow completes", async () => {
    const provider = new TestOAuthClient(h.newBrowser());
    const client = await connectWithSignIn(h.url, provider);
    expect(h.url.startsWith("https://")).toBe(true);
    const atEntra = provider.hops[1]!;
    expect(atEntra.searchParams.get("resource")).toBe(h.url);
    expect(atEntra.searchParams.get("scope")).toBe(
      `${h.url}/user_impersonation openid profile offline_access`,
    );
    expect((await client.callTool({ name: "server_time" })).isError).toBeFalsy();
    await client.close();
    expect(await auth(provider, { serverUrl: h.url })).toBe("AUTHORIZED");
    // Over https the sign-in cookie is Secure and host-only (__Host-): no other site or subdomain sets it.
    const start = await h.browserFetch(provider.hops[0]!, { redirect: "manual" });
    expect(start.headers.get("set-cookie")).toMatch(/^__Host-mcp-sign-in=[\w-]{43};.*; Secure/);
  });
});

import { CryptoProvider, PublicClientApplication } from "@azure/msal-node";
import { describe, expect, it } from "vitest";
import { msalConfiguration } from "../../../src/entra/msal-config.js";
import { type FetchLike, msalNetworkClient, trustedFetch } from "../../../src/entra/trust.js";
import type { DevTenant } from "../../../src/tenant/index.js";
import { useDevTenant } from "../../helpers/dev-tenant.js";
import { expectMsalEntraError } from "../../helpers/entra-error.js";
import { type RecordedResponse, recordingFetch } from "../../helpers/msal-clients.js";
import { grantConsent, seedApp } from "../../helpers/seed-apps.js";
import { SignInDriver } from "../../helpers/sign-in-driver.js";
import { testUser } from "../../helpers/sign-in-fixtures.js";

const SPA = "https://spa.contoso.test";
const DAY_MS = 24 * 3600 * 1000;

/**
 * A single-page app as Entra sees one: msal-node stands in for MSAL.js, its network client sending
 * the browser's Origin header (or not). Codes and refresh tokens of a spa redirect URI are redeemed
 * cross-origin only, with PKCE, and the refresh tokens of a sign-in die 24 hours after it.
 */
describe("spa redirect URIs", () => {
  const tenant = useDevTenant();

  /** A public client application whose requests carry `origin` (a browser) or none (a server). */
  function app(t: DevTenant, clientId: string, origin: string | undefined) {
    const responses: RecordedResponse[] = [];
    const base = trustedFetch([t.caPem]);
    const browserLike: FetchLike = (input, init) => {
      const headers = new Headers(init?.headers as Record<string, string> | undefined);
      if (origin) headers.set("origin", origin);
      return base(input, { ...init, headers });
    };
    const config = msalConfiguration({ authority: t.urls.authority, caPems: [t.caPem] }, { clientId });
    config.system = { networkClient: msalNetworkClient(recordingFetch(browserLike, responses)) };
    return { pca: new PublicClientApplication(config), responses };
  }

  async function spaAndApi(t: DevTenant) {
    const api = await seedApp(t, { displayName: "spa api", exposes: ["access_as_user"] });
    const spa = await seedApp(t, {
      displayName: "spa",
      identifierUri: false,
      spa: { redirectUris: [`${SPA}/`] },
      publicClient: { redirectUris: ["http://localhost"] },
    });
    await grantConsent(t, { client: spa.appId, resource: api.appId, scopes: ["access_as_user"] });
    return { api, spa, scopes: [`${api.uri}/access_as_user`] };
  }

  async function code(
    t: DevTenant,
    pca: PublicClientApplication,
    scopes: string[],
    options: { pkce?: boolean; redirectUri?: string } = {},
  ) {
    const redirectUri = options.redirectUri ?? `${SPA}/`;
    const pkce = options.pkce === false ? undefined : await new CryptoProvider().generatePkceCodes();
    const url = await pca.getAuthCodeUrl({
      scopes,
      redirectUri,
      ...(pkce ? { codeChallenge: pkce.challenge, codeChallengeMethod: "S256" } : {}),
    });
    const driver = new SignInDriver({ caPem: t.caPem, user: testUser(t, "adele").userPrincipalName });
    const outcome = await driver.authorize(url, { deliver: false });
    if (outcome.kind !== "redirect" || !outcome.params.code)
      throw new Error(`no code: ${JSON.stringify(outcome)}`);
    return { code: outcome.params.code, scopes, redirectUri, codeVerifier: pkce?.verifier };
  }

  it("redeems a spa code cross-origin with PKCE; its refresh tokens end 24 hours after sign-in (AADSTS700084)", async () => {
    const t = tenant();
    const { spa, scopes } = await spaAndApi(t);
    const { pca, responses } = app(t, spa.appId, SPA);
    const first = await pca.acquireTokenByCode(await code(t, pca, scopes));
    expect(first?.accessToken).toBeTruthy();
    const token = responses.at(-1)!;
    expect(token.headers.get("access-control-allow-origin")).toBe("*");

    t.clock.advance(DAY_MS - 60_000);
    const renewed = await pca.acquireTokenSilent({ account: first!.account!, scopes, forceRefresh: true });
    expect(renewed?.accessToken).toBeTruthy();
    // The renewed refresh token keeps the sign-in's expiry: one more minute, not another day.
    t.clock.advance(60_000);
    await expectMsalEntraError(
      pca.acquireTokenSilent({ account: first!.account!, scopes, forceRefresh: true }),
      responses,
      700084,
    );
  });

  it("refuses a spa code redeemed without an Origin header (AADSTS9002327) or without PKCE (AADSTS9002325)", async () => {
    const t = tenant();
    const { spa, scopes } = await spaAndApi(t);
    const server = app(t, spa.appId, undefined);
    await expectMsalEntraError(
      server.pca.acquireTokenByCode(await code(t, server.pca, scopes)),
      server.responses,
      9002327,
    );
    const browser = app(t, spa.appId, SPA);
    await expectMsalEntraError(
      browser.pca.acquireTokenByCode(await code(t, browser.pca, scopes, { pkce: false })),
      browser.responses,
      9002325,
    );
  });

  it("refuses a cross-origin redemption of a code issued to a public client redirect URI (AADSTS9002326)", async () => {
    const t = tenant();
    const { spa, scopes } = await spaAndApi(t);
    const browser = app(t, spa.appId, SPA);
    const issued = await code(t, browser.pca, scopes, { redirectUri: "http://localhost" });
    await expectMsalEntraError(browser.pca.acquireTokenByCode(issued), browser.responses, 9002326);
    expect((browser.responses.at(-1)!.body as { error_description: string }).error_description).toContain(
      `Request origin: '${SPA}'.`,
    );
  });

  it("lets a browser call discovery, the keys and the token endpoint (CORS), preflight included", async () => {
    const t = tenant();
    const fetchImpl = trustedFetch([t.caPem]);
    const headers = { origin: SPA };
    const discovery = await fetchImpl(`${t.urls.authority}/v2.0/.well-known/openid-configuration`, {
      headers,
    });
    expect(discovery.headers.get("access-control-allow-origin")).toBe("*");
    const { jwks_uri, token_endpoint } = (await discovery.json()) as Record<string, string>;
    expect((await fetchImpl(jwks_uri!, { headers })).headers.get("access-control-allow-origin")).toBe("*");
    const preflight = await fetchImpl(token_endpoint!, {
      method: "OPTIONS",
      headers: {
        ...headers,
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
      },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-methods")).toContain("POST");
    // Sign-in pages and Graph are not for cross-origin calls.
    const graph = await fetchImpl(`${t.url}/v1.0/applications`, { headers });
    expect(graph.headers.get("access-control-allow-origin")).toBeNull();
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consentForm, pageText, type TestBrowser } from "./helpers/browser.js";
import { type Harness, startHarness } from "./helpers/harness.js";
import { TEST_REDIRECT_URI } from "./helpers/oauth-client.js";
import { authorizeUrl, getRaw, pkcePair, register, signInForCode, token } from "./helpers/oauth-requests.js";

/**
 * The confused deputy (MCP security best practices): registration is open, the proxy is one app at
 * Entra, and Entra's single sign-on answers silently (the dev tenant's auto-approve). An attacker who
 * registers a client and gets a victim to open its sign-in link must not get a code: the proxy asks
 * the victim on its own page first, in the browser that started the sign-in, and remembers only the
 * victim's "allow".
 */
describe("consent per client on the proxy's own page", () => {
  let h: Harness;
  const ATTACKER_REDIRECT = "https://attacker.example/cb";
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  const signInUrl = (clientId: string, redirectUri = TEST_REDIRECT_URI) =>
    authorizeUrl(h, { client_id: clientId, redirect_uri: redirectUri, code_challenge: pkcePair().challenge });
  /** The victim's browser opens the link: where did it go, and what did it end on? */
  const open = async (browser: TestBrowser, url: URL, stopAt = TEST_REDIRECT_URI) => {
    const back = await browser.visit(url, stopAt);
    return { back, hosts: browser.visited.map((visited) => visited.host), page: browser.page };
  };
  const postConsent = (browser: TestBrowser, fields: Record<string, string>, headers = {}) =>
    browser.request(`${h.origin}/oauth/consent`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
      body: new URLSearchParams(fields),
    });

  it("an attacker's client gets no code and no redirect: the victim sees who asks, and the proxy waits", async () => {
    const { body: attacker } = await register(h, {
      client_name: "Contoso Assistant",
      redirect_uris: [ATTACKER_REDIRECT],
    });
    const victim = h.newBrowser("look");
    const { back, hosts, page } = await open(
      victim,
      signInUrl(attacker.client_id!, ATTACKER_REDIRECT),
      ATTACKER_REDIRECT,
    );
    expect(back).toBeUndefined();
    expect(hosts).not.toContain("attacker.example");
    expect(page!.status).toBe(200);
    expect(page!.url.pathname).toBe("/oauth/consent");
    const text = pageText(page!.html);
    expect(text).toContain("Contoso Assistant");
    expect(text).toContain("Sends you back to attacker.example");
    expect(text).toContain(`Signed in as ${h.registration.users.admin}`);
    expect(text).toContain("a registration with this server, which anyone can make under any name");
    const form = consentForm(page!.html)!;
    expect(form).toMatchObject({ clientId: attacker.client_id, user: h.registration.users.admin });

    // The attacker cannot answer for the victim: not from another browser, not from another site,
    // not without the form's token, not with a GET.
    const attackerBrowser = h.newBrowser();
    const elsewhere = await postConsent(attackerBrowser, { ...form.fields, decision: "allow" });
    expect(elsewhere.status).toBe(400);
    expect((await attackerBrowser.request(page!.url)).status).toBe(400);
    const crossSite = await postConsent(
      victim,
      { ...form.fields, decision: "allow" },
      { Origin: "https://attacker.example" },
    );
    expect(crossSite.status).toBe(403);
    const fetchedCrossSite = await postConsent(
      victim,
      { ...form.fields, decision: "allow" },
      { "Sec-Fetch-Site": "cross-site" },
    );
    expect(fetchedCrossSite.status).toBe(403);
    const noToken = await postConsent(victim, { request: form.fields.request!, decision: "allow" });
    expect(noToken.status).toBe(403);
    const viaGet = await victim.request(`${page!.url.href}&decision=allow`);
    expect(viaGet.status).toBe(200);
    for (const answer of [elsewhere, crossSite, fetchedCrossSite, noToken, viaGet]) {
      expect(answer.headers.get("location")).toBeNull();
    }

    // The victim says no: an https redirect URI nobody trusts gets no redirect, even with an error.
    const denied = await postConsent(victim, { ...form.fields, decision: "deny" });
    expect(denied.status).toBe(400);
    expect(denied.headers.get("location")).toBeNull();
    expect(pageText(await denied.text())).toContain("You did not allow the application");
    // A "no" is not remembered as a "yes", and the form cannot be answered twice.
    expect((await postConsent(victim, { ...form.fields, decision: "allow" })).status).toBe(400);
    const again = await open(
      h.newBrowser("look"),
      signInUrl(attacker.client_id!, ATTACKER_REDIRECT),
      ATTACKER_REDIRECT,
    );
    expect(again.back).toBeUndefined();
    expect(again.page!.url.pathname).toBe("/oauth/consent");
  });

  it("refuses Entra's answer, and the consent page, in a browser other than the one that started", async () => {
    const { body: client } = await register(h);
    // The attacker starts a sign-in in their browser and sends the victim the link to Entra.
    const attackerBrowser = h.newBrowser();
    const toEntra = (await attackerBrowser.visit(signInUrl(client.client_id!), h.tenant.urls.authorize))!;
    const victim = h.newBrowser("allow");
    const { back, page } = await open(victim, toEntra);
    expect(back).toBeUndefined();
    expect(page!.url.pathname).toBe("/oauth/callback");
    expect(page!.status).toBe(400);
    expect(pageText(page!.html)).toContain("started in another browser");
    // A forged callback: an unknown state, or none.
    for (const query of ["?code=x&state=forged", "?code=x"]) {
      const forged = await victim.request(`${h.origin}/oauth/callback${query}`);
      expect(forged.status).toBe(400);
      expect(forged.headers.get("location")).toBeNull();
    }
    // The consent page of someone else's sign-in, with its link: refused too.
    const owner = h.newBrowser("look");
    await open(owner, signInUrl(client.client_id!));
    const stranger = await h.newBrowser().request(owner.page!.url);
    expect(stranger.status).toBe(400);
    expect(pageText(await stranger.text())).toContain("belongs to another browser");
  });

  it("after the user allows a client, sign-in works, and it is remembered for that user and client only", async () => {
    const { body: client } = await register(h, { client_name: "My MCP client" });
    const browser = h.newBrowser("allow");
    const { back } = await open(browser, signInUrl(client.client_id!));
    expect(back?.searchParams.get("code")).toBeTruthy();
    expect(back?.searchParams.get("state")).toBe("client-state");
    expect(back?.searchParams.get("iss")).toBe(h.origin);
    expect(h.logs.join("\n")).toContain('"message":"consent given"');

    // The same user again, in a new browser: no page.
    const later = h.newBrowser("look");
    const second = await open(later, signInUrl(client.client_id!));
    expect(second.back?.searchParams.get("code")).toBeTruthy();
    expect(later.visited.map((url) => url.pathname)).not.toContain("/oauth/consent");
    const pkce = pkcePair();
    const code = await signInForCode(h, client.client_id!, pkce.challenge, later);
    const redeemed = await token(h, {
      grant_type: "authorization_code",
      client_id: client.client_id!,
      code,
      redirect_uri: TEST_REDIRECT_URI,
      code_verifier: pkce.verifier,
    });
    expect(redeemed.status).toBe(200);

    // Another client of the same user, and the same client for another user: asked.
    const { body: other } = await register(h, { client_name: "Another client" });
    expect((await open(h.newBrowser("look"), signInUrl(other.client_id!))).page?.url.pathname).toBe(
      "/oauth/consent",
    );
    await h.signInAs(h.registration.users.member);
    try {
      const member = await open(h.newBrowser("look"), signInUrl(client.client_id!));
      expect(member.page?.url.pathname).toBe("/oauth/consent");
      expect(pageText(member.page!.html)).toContain(`Signed in as ${h.registration.users.member}`);
    } finally {
      await h.signInAs(h.registration.users.admin);
    }
  });

  it("sends a denial to a client on this machine (loopback) with its state, and warns about loopback", async () => {
    const { body: client } = await register(h);
    const browser = h.newBrowser("look");
    await open(browser, signInUrl(client.client_id!));
    expect(pageText(browser.page!.html)).toContain("receives the sign-in on this computer");
    browser.consent = "deny";
    const back = await browser.visit(browser.page!.url, TEST_REDIRECT_URI);
    expect(Object.fromEntries(back!.searchParams)).toMatchObject({
      error: "access_denied",
      state: "client-state",
      iss: h.origin,
    });
    expect(back!.searchParams.has("code")).toBe(false);
  });

  it("serves its pages unframeable, without script, and with the browser cookie locked down", async () => {
    const { body: client } = await register(h);
    const start = await getRaw(signInUrl(client.client_id!));
    expect(start.status).toBe(302);
    // On http (this test server): no Secure, no __Host- prefix; the https harness has both.
    const cookie = start.headers.get("set-cookie")!.split(/;\s*/);
    expect(cookie[0]).toMatch(/^mcp-sign-in=[\w-]{43}$/);
    expect(cookie).toEqual(expect.arrayContaining(["Path=/", "HttpOnly", "SameSite=Lax"]));
    expect(cookie.some((attribute) => /^domain=/i.test(attribute))).toBe(false);
    const browser = h.newBrowser("look");
    await open(browser, signInUrl(client.client_id!));
    const page = await browser.request(browser.page!.url);
    expect(page.headers.get("content-security-policy")).toMatch(
      new RegExp(
        `^default-src 'none'; style-src 'sha256-[\\w+/=]+'; form-action 'self' ${new URL(TEST_REDIRECT_URI).origin}; frame-ancestors 'none'; base-uri 'none'$`,
      ),
    );
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    expect(page.headers.get("cache-control")).toBe("no-store");
    expect(await page.text()).not.toMatch(/<script/i);
  });
});

import { describe, expect, it } from "vitest";
import { trustedFetch } from "../../../src/entra/trust.js";
import { VSCODE_CLIENT_ID } from "../../../src/entra/well-known.js";
import { DEFAULT_TEST_PASSWORD, type DevTenant } from "../../../src/tenant/index.js";
import { useDevTenant } from "../../helpers/dev-tenant.js";
import { type Redirected, SignInDriver, type SignInOutcome } from "../../helpers/sign-in-driver.js";
import { addApi, addClient, authorizeUrl, getRaw, testUser } from "../../helpers/sign-in-fixtures.js";

function redirected(outcome: SignInOutcome): Redirected {
  if (outcome.kind !== "redirect")
    throw new Error(`The flow stopped at the ${outcome.step} page: ${outcome.html}`);
  return outcome;
}

/** The redirect's error parameters must carry Entra's AADSTS description and the state. */
function expectRedirectError(outcome: SignInOutcome, error: string, code: number, state?: string) {
  const { params } = redirected(outcome);
  expect(params.error).toBe(error);
  expect(params.error_description).toMatch(
    new RegExp(`^AADSTS${code}: .* Trace ID: .* Correlation ID: .* Timestamp: `, "s"),
  );
  expect(params.code).toBeUndefined();
  if (state !== undefined) expect(params.state).toBe(state);
}

function driverFor(t: DevTenant, alias: "adele" | "alex" | "megan") {
  return new SignInDriver({ caPem: t.caPem, user: testUser(t, alias).userPrincipalName, deliver: false });
}

describe("/authorize: pages that must not redirect", () => {
  const tenant = useDevTenant();

  it("shows AADSTS50011 on a page for an unregistered redirect URI, and ignores only loopback ports", async () => {
    const t = tenant();
    const api = await addApi(t);
    const client = await addClient(t, {
      publicClient: ["http://localhost/cb"],
      web: ["https://app.contoso.test/cb"],
    });
    const base = { client_id: client.app.appId, scope: api.scope, state: "s" };
    for (const redirect of [
      "https://evil.example/cb",
      "http://localhost:4321/other",
      "https://app.contoso.test:8443/cb",
      "https://app.contoso.test/cb/",
    ]) {
      const page = await getRaw(t, authorizeUrl(t, { ...base, redirect_uri: redirect }));
      expect(page.status, redirect).toBe(400);
      expect(page.headers.get("location")).toBeNull();
      expect(page.headers.get("content-type")).toContain("text/html");
      expect(page.text).toContain('data-step="error"');
      expect(page.text).toContain('data-aadsts="50011"');
      expect(page.text).toContain(
        `The redirect URI &#39;${redirect}&#39; specified in the request does not match`,
      );
    }
    const driver = driverFor(t, "alex");
    const loopback = await driver.authorize(
      authorizeUrl(t, { ...base, redirect_uri: "http://localhost:4321/cb" }),
    );
    expect(redirected(loopback).redirectUri).toBe("http://localhost:4321/cb");
    expect(redirected(loopback).params.code).toBeTruthy();
    // Without redirect_uri, an app with two registered URIs is refused on a page.
    const missing = await getRaw(t, authorizeUrl(t, base));
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('data-aadsts="900144"');
  });

  it("shows 700016 (unknown app), 90112 (not a GUID) and 90002 (unknown tenant) on pages", async () => {
    const t = tenant();
    const unknown = await getRaw(
      t,
      authorizeUrl(t, {
        client_id: "0b7e1e1c-0000-4000-8000-000000000000",
        redirect_uri: "http://localhost",
        scope: "openid",
      }),
    );
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get("location")).toBeNull();
    expect(unknown.text).toContain('data-aadsts="700016"');
    const notGuid = await getRaw(
      t,
      authorizeUrl(t, {
        client_id: "https://client.example/metadata.json",
        redirect_uri: "http://localhost",
        scope: "openid",
      }),
    );
    expect(notGuid.text).toContain('data-aadsts="90112"');
    const tenantless = await getRaw(
      t,
      authorizeUrl(
        t,
        { client_id: VSCODE_CLIENT_ID, redirect_uri: "http://localhost", scope: "openid" },
        "contoso.example",
      ),
    );
    expect(tenantless.text).toContain('data-aadsts="90002"');
  });

  it("serves pages in one layout with the dev-only banner and a strict CSP", async () => {
    const t = tenant();
    const page = await getRaw(
      t,
      authorizeUrl(t, {
        client_id: VSCODE_CLIENT_ID,
        redirect_uri: "http://localhost:5555",
        scope: "openid",
      }),
    );
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-step="sign-in"');
    expect(page.text).toContain("mcp-entra dev tenant — for development only");
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self' http://localhost:5555");
    expect(page.headers.get("x-frame-options")).toBe("DENY");
  });
});

describe("/authorize: errors redirected to a valid redirect URI", () => {
  const tenant = useDevTenant();

  it("redirects 700054 (response_type), 9010010 (resource), 650053 (scope) with state", async () => {
    const t = tenant();
    const api = await addApi(t);
    const client = await addClient(t, { publicClient: ["http://localhost"] });
    const driver = driverFor(t, "alex");
    const base = {
      client_id: client.app.appId,
      redirect_uri: "http://localhost:7000",
      scope: api.scope,
      state: "xyz",
    };
    expectRedirectError(
      await driver.authorize(authorizeUrl(t, { ...base, response_type: "token" })),
      "unsupported_response_type",
      700054,
      "xyz",
    );
    expectRedirectError(
      await driver.authorize(authorizeUrl(t, { ...base, resource: "https://mcp.contoso.test/mcp" })),
      "invalid_target",
      9010010,
      "xyz",
    );
    expectRedirectError(
      await driver.authorize(authorizeUrl(t, { ...base, scope: `api://${api.app.appId}/nope` })),
      "invalid_client",
      650053,
      "xyz",
    );
    // `resource` equal to the API's Application ID URI is accepted.
    const ok = await driver.authorize(authorizeUrl(t, { ...base, resource: `api://${api.app.appId}` }));
    expect(redirected(ok).params.code).toBeTruthy();
  });

  it("prompt=none: 50058 without a session, 65001 without consent, a code with both", async () => {
    const t = tenant();
    const api = await addApi(t);
    const client = await addClient(t, { publicClient: ["http://localhost"] });
    const driver = driverFor(t, "megan");
    const base = { client_id: client.app.appId, redirect_uri: "http://localhost:7001", state: "p" };
    expectRedirectError(
      await driver.authorize(authorizeUrl(t, { ...base, scope: api.scope, prompt: "none" })),
      "login_required",
      50058,
      "p",
    );
    // Signing in for OIDC scopes only needs no consent; it leaves a session.
    const signedIn = redirected(
      await driver.authorize(authorizeUrl(t, { ...base, scope: "openid profile" })),
    );
    expect(signedIn.steps).toEqual(["sign-in"]);
    expectRedirectError(
      await driver.authorize(authorizeUrl(t, { ...base, scope: api.scope, prompt: "none" })),
      "consent_required",
      65001,
      "p",
    );
    const consented = redirected(await driver.authorize(authorizeUrl(t, { ...base, scope: api.scope })));
    expect(consented.steps).toEqual(["consent"]);
    const silent = redirected(
      await driver.authorize(authorizeUrl(t, { ...base, scope: api.scope, prompt: "none" })),
    );
    expect(silent.steps).toEqual([]);
    expect(silent.params.code).toBeTruthy();
    expect(silent.params.session_state).toBeTruthy();
    // prompt=login and prompt=consent show their pages again despite the session and the consent.
    expect(
      redirected(await driver.authorize(authorizeUrl(t, { ...base, scope: api.scope, prompt: "login" })))
        .steps,
    ).toEqual(["sign-in"]);
    expect(
      redirected(await driver.authorize(authorizeUrl(t, { ...base, scope: api.scope, prompt: "consent" })))
        .steps,
    ).toEqual(["consent"]);
  });

  it("keeps the session in an HttpOnly, Secure, SameSite=Lax cookie; login_hint for another user asks again", async () => {
    const t = tenant();
    const client = await addClient(t, { publicClient: ["http://localhost"] });
    const url = authorizeUrl(t, {
      client_id: client.app.appId,
      redirect_uri: "http://localhost:1",
      scope: "openid",
    });
    const page = await getRaw(t, url);
    const tx = page.text.match(/name="tx" value="([^"]+)"/)?.[1];
    const login = await fetchForm(t, `${t.url}/login`, { tx: tx!, user: testUser(t, "alex").id });
    const cookie = login.headers.getSetCookie().find((value) => value.startsWith("mcp_entra_session="));
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(login.status).toBe(302);

    const driver = driverFor(t, "alex");
    expect(redirected(await driver.authorize(url)).steps).toEqual(["sign-in"]);
    expect(redirected(await driver.authorize(url)).steps).toEqual([]);
    const hinted = await driver.authorize(`${url}&login_hint=${testUser(t, "megan").userPrincipalName}`, {
      user: testUser(t, "megan").userPrincipalName,
    });
    expect(redirected(hinted).steps).toEqual(["sign-in"]);
    expect(
      (
        await getRaw(
          t,
          `${url}&login_hint=${encodeURIComponent(testUser(t, "megan").userPrincipalName)}&prompt=login`,
        )
      ).text,
    ).toContain(`value="${testUser(t, "megan").userPrincipalName}"`);
  });

  it("answers in query, fragment and form_post modes, with state and client_info", async () => {
    const t = tenant();
    const client = await addClient(t, {
      publicClient: ["http://localhost", "http://localhost/cb"],
      spa: ["https://spa.contoso.test/"],
    });
    const driver = driverFor(t, "adele");
    const fragment = redirected(
      await driver.authorize(
        authorizeUrl(t, {
          client_id: client.app.appId,
          redirect_uri: "https://spa.contoso.test/",
          scope: "openid",
          response_mode: "fragment",
          state: "f",
          client_info: "1",
        }),
      ),
    );
    expect(fragment.responseMode).toBe("fragment");
    expect(fragment.params.state).toBe("f");
    expect(JSON.parse(Buffer.from(fragment.params.client_info!, "base64url").toString())).toEqual({
      uid: testUser(t, "adele").id,
      utid: t.tenantId,
    });
    const formPost = redirected(
      await driver.authorize(
        authorizeUrl(t, {
          client_id: client.app.appId,
          redirect_uri: "http://localhost:9/cb",
          scope: "openid",
          response_mode: "form_post",
          state: '<&">',
        }),
      ),
    );
    expect(formPost.responseMode).toBe("form_post");
    expect(formPost.redirectUri).toBe("http://localhost:9/cb");
    expect(formPost.params.state).toBe('<&">');
    expect(formPost.params.code).toBeTruthy();
    // POST /authorize works like GET.
    const posted = await fetchForm(t, t.urls.authorize, {
      client_id: client.app.appId,
      redirect_uri: "http://localhost:9/cb",
      scope: "openid",
      response_type: "code",
      response_mode: "form_post",
    });
    expect(posted.status).toBe(200);
    const body = await posted.text();
    expect(body).toContain('data-step="sign-in"');
    // /common, /organizations and the domain name work as tenant segments.
    for (const segment of ["common", "organizations", t.domain]) {
      const page = await getRaw(
        t,
        authorizeUrl(
          t,
          { client_id: client.app.appId, redirect_uri: "http://localhost", scope: "openid" },
          segment,
        ),
      );
      expect(page.status, segment).toBe(200);
    }
  });
});

describe("sign-in and consent", () => {
  const tenant = useDevTenant();

  it("refuses a wrong password on the page (50126) and accepts the right one", async () => {
    const t = tenant();
    const client = await addClient(t, { publicClient: ["http://localhost"] });
    const url = authorizeUrl(t, {
      client_id: client.app.appId,
      redirect_uri: "http://localhost",
      scope: "openid",
    });
    const upn = testUser(t, "alex").userPrincipalName;
    const driver = new SignInDriver({ caPem: t.caPem, user: upn, password: "wrong", deliver: false });
    const refused = await driver.authorize(url);
    expect(refused).toMatchObject({ kind: "page", step: "sign-in", aadsts: 50126 });
    const unknownUser = await driver.authorize(url, { user: "nobody@example.com" });
    expect(unknownUser).toMatchObject({ kind: "page", aadsts: 50126 });
    const accepted = await driver.authorize(url, { password: DEFAULT_TEST_PASSWORD });
    expect(redirected(accepted).params.code).toBeTruthy();
  });

  it("Cancel on the consent page redirects access_denied with 65004", async () => {
    const t = tenant();
    const api = await addApi(t);
    const client = await addClient(t, { publicClient: ["http://localhost"] });
    const url = authorizeUrl(t, {
      client_id: client.app.appId,
      redirect_uri: "http://localhost",
      scope: api.scope,
      state: "c",
    });
    const page = await getRaw(t, url);
    expect(page.text).not.toContain("access_as_user (user text)"); // the sign-in page comes first
    const outcome = await driverFor(t, "alex").authorize(url, { consent: "cancel" });
    expect(redirected(outcome).steps).toEqual(["sign-in", "consent"]);
    expectRedirectError(outcome, "access_denied", 65004, "c");
    expect(t.store.state.oauth2PermissionGrants).toHaveLength(0);
  });

  it("admin-only scopes: a user gets 90094, an admin consents for the organization and nobody is asked again", async () => {
    const t = tenant();
    const api = await addApi(t);
    const client = await addClient(t, { publicClient: ["http://localhost"] });
    const url = authorizeUrl(t, {
      client_id: client.app.appId,
      redirect_uri: "http://localhost",
      scope: `${api.adminScope} openid`,
      state: "a",
    });
    const user = await driverFor(t, "alex").authorize(url);
    expect(redirected(user).steps).toEqual(["sign-in", "admin-approval"]);
    expectRedirectError(user, "access_denied", 90094, "a");

    const admin = await driverFor(t, "adele").authorize(url, { consent: "accept-for-organization" });
    expect(redirected(admin).steps).toEqual(["sign-in", "consent"]);
    const grant = t.store.state.oauth2PermissionGrants.find(
      (candidate) => candidate.consentType === "AllPrincipals",
    );
    expect(grant).toMatchObject({ principalId: null, scope: "Admin.All" });
    const other = await driverFor(t, "megan").authorize(url);
    expect(redirected(other).steps).toEqual(["sign-in"]);
    expect(redirected(other).params.code).toBeTruthy();
  });

  it("shows the user consent texts, and the admin texts with the organization option to admins", async () => {
    const t = tenant();
    const api = await addApi(t);
    const client = await addClient(t, { publicClient: ["http://localhost"], name: "Fabrikam <agent>" });
    const url = authorizeUrl(t, {
      client_id: client.app.appId,
      redirect_uri: "http://localhost",
      scope: `${api.scope} openid offline_access`,
    });
    const consentPage = async (alias: "alex" | "adele") => {
      const signIn = await getRaw(t, url);
      const tx = signIn.text.match(/name="tx" value="([^"]+)"/)?.[1];
      expect(signIn.text).toContain("Fabrikam &lt;agent&gt;");
      const response = await fetchForm(t, `${t.url}/login`, { tx: tx!, user: testUser(t, alias).id });
      return response.text();
    };
    const userView = await consentPage("alex");
    expect(userView).toContain('data-step="consent"');
    expect(userView).toContain("access_as_user (user text)");
    expect(userView).toContain("Maintain access to data you have given it access to");
    expect(userView).not.toContain('name="organization"');
    const adminView = await consentPage("adele");
    expect(adminView).toContain("access_as_user (admin text)");
    expect(adminView).toContain('name="organization"');
  });

  it("pre-authorized clients skip the consent page; a first-party client without pre-authorization gets 65002", async () => {
    const t = tenant();
    const open = await addApi(t, { name: "open API" });
    const trusting = await addApi(t, { name: "VS Code API", preAuthorize: [VSCODE_CLIENT_ID] });
    const driver = driverFor(t, "alex");
    const base = { client_id: VSCODE_CLIENT_ID, redirect_uri: "http://127.0.0.1:33418", state: "v" };
    const refused = await driver.authorize(
      authorizeUrl(t, { ...base, redirect_uri: "http://localhost:33418", scope: open.scope }),
    );
    expect(redirected(refused).steps).toEqual(["sign-in"]);
    expectRedirectError(refused, "invalid_client", 65002, "v");
    const allowed = await driver.authorize(
      authorizeUrl(t, { ...base, scope: `${trusting.scope} openid offline_access` }),
    );
    expect(redirected(allowed).steps).toEqual([]);
    expect(redirected(allowed).params.code).toBeTruthy();
  });
});

function fetchForm(t: DevTenant, url: string, form: Record<string, string>) {
  return trustedFetch([t.caPem])(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
    redirect: "manual",
  });
}

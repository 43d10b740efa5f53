import { createHash, randomUUID, X509Certificate } from "node:crypto";
import {
  ConfidentialClientApplication,
  CryptoProvider,
  InteractionRequiredAuthError,
  PublicClientApplication,
} from "@azure/msal-node";
import { decodeJwt, importX509, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { msalConfiguration } from "../../../src/entra/msal-config.js";
import { trustedFetch } from "../../../src/entra/trust.js";
import { MICROSOFT_GRAPH_APP_ID } from "../../../src/entra/well-known.js";
import { addPassword, newAppRoleAssignment } from "../../../src/tenant/directory/object-factories.js";
import type { DevTenant } from "../../../src/tenant/index.js";
import { ENTRA_ACCESS_TOKEN_LIFETIME } from "../../../src/tenant/tokens/access-token-lifetime.js";
import { useDevTenant } from "../../helpers/dev-tenant.js";
import { appOnlyGraphClient, expectGraphError } from "../../helpers/graph.js";
import { SignInDriver } from "../../helpers/sign-in-driver.js";
import {
  addApi,
  addClient,
  authorizeUrl,
  getRaw,
  postForm,
  testUser,
} from "../../helpers/sign-in-fixtures.js";

/**
 * The dev tenant's smaller Entra behaviours (issue 18), each as Microsoft documents it, driven with
 * the libraries an app uses: msal-node for tokens, jose for checking them.
 */

/** Microsoft Graph's User.Read (delegated). */
const USER_READ_ID = "e1fe6dd8-ba31-4d61-89e7-88639da4683d";

function confidential(t: DevTenant, clientId: string, clientSecret: string) {
  return new ConfidentialClientApplication(
    msalConfiguration({ authority: t.urls.authority, caPems: [t.caPem] }, { clientId, clientSecret }),
  );
}

/** A confidential web client with a secret and a service principal (client credentials work). */
async function webClient(t: DevTenant) {
  const redirectUri = "https://app.contoso.test/auth/callback";
  const client = await addClient(t, { web: [redirectUri], secret: true, servicePrincipal: true });
  return { ...client, redirectUri, msal: confidential(t, client.app.appId, client.secret!) };
}

/**
 * Signs a user (alex by default) in through msal's auth code flow (PKCE), redeeming the code for
 * `redeem` (default: the scopes asked); msal's result and the pages passed on the way.
 */
async function signIn(
  t: DevTenant,
  web: Awaited<ReturnType<typeof webClient>>,
  scopes: string[],
  options: { user?: "alex" | "megan"; redeem?: string[] } = {},
) {
  const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
  const url = await web.msal.getAuthCodeUrl({
    scopes,
    redirectUri: web.redirectUri,
    codeChallenge: challenge,
    codeChallengeMethod: "S256",
  });
  const user = testUser(t, options.user ?? "alex").userPrincipalName;
  const outcome = await new SignInDriver({ caPem: t.caPem, user }).authorize(url, { deliver: false });
  if (outcome.kind !== "redirect") throw new Error(`stopped at ${outcome.step}`);
  const result = await web.msal.acquireTokenByCode({
    code: outcome.params.code!,
    scopes: options.redeem ?? scopes,
    redirectUri: web.redirectUri,
    codeVerifier: verifier,
  });
  return { ...result!, steps: outcome.steps };
}

describe("Entra's documented behaviours", () => {
  const tenant = useDevTenant();

  it("emits idtyp only when the API configured it as an optional claim, and applies optionalClaims", async () => {
    const t = tenant();
    const plain = await addApi(t);
    const configured = await addApi(t);
    await t.store.commit(() => {
      configured.app.optionalClaims = {
        accessToken: [{ name: "idtyp" }, { name: "upn" }, { name: "given_name" }],
        idToken: [],
        saml2Token: [],
      };
    });
    const web = await webClient(t);
    const plainToken = await web.msal.acquireTokenByClientCredential({
      scopes: [`api://${plain.app.appId}/.default`],
    });
    expect(decodeJwt(plainToken!.accessToken).idtyp).toBeUndefined();
    const appToken = await web.msal.acquireTokenByClientCredential({
      scopes: [`api://${configured.app.appId}/.default`],
    });
    expect(decodeJwt(appToken!.accessToken).idtyp).toBe("app");

    // A user's token for the configured API: idtyp stays out (only in app-only tokens), upn and
    // given_name come in; the ID token follows the client's own optionalClaims (none here).
    const user = await signIn(t, web, [configured.scope]);
    const claims = decodeJwt(user!.accessToken);
    expect(claims.idtyp).toBeUndefined();
    expect(claims).toMatchObject({
      upn: testUser(t, "alex").userPrincipalName,
      given_name: testUser(t, "alex").givenName,
    });
    expect(decodeJwt(user!.idToken).upn).toBeUndefined();
  });

  it("names the user (name, preferred_username) only with the profile scope, and puts roles in ID tokens", async () => {
    const t = tenant();
    const api = await addApi(t);
    const web = await webClient(t);
    const roleId = randomUUID();
    await t.store.commit((state) => {
      web.app.appRoles = [
        {
          id: roleId,
          value: "Reports.Reader",
          displayName: "Reports reader",
          description: "Reads reports",
          allowedMemberTypes: ["User"],
          isEnabled: true,
        },
      ];
      const sp = state.servicePrincipals.find((candidate) => candidate.appId === web.app.appId)!;
      const alex = testUser(t, "alex");
      const principal = { id: alex.id, displayName: alex.displayName, type: "User" as const };
      state.appRoleAssignments.push(newAppRoleAssignment(principal, sp, roleId, new Date().toISOString()));
    });
    // msal always adds openid profile offline_access: name and preferred_username are there.
    const withProfile = await signIn(t, web, [api.scope]);
    expect(decodeJwt(withProfile!.accessToken)).toMatchObject({
      name: testUser(t, "alex").displayName,
      preferred_username: testUser(t, "alex").userPrincipalName,
    });
    expect(decodeJwt(withProfile!.idToken)).toMatchObject({
      preferred_username: testUser(t, "alex").userPrincipalName,
      roles: ["Reports.Reader"],
    });
    // A refresh asking without profile (as a raw client may): neither claim.
    const withoutProfile = await postForm(t, t.urls.token, {
      grant_type: "refresh_token",
      client_id: web.app.appId,
      client_secret: web.secret,
      refresh_token: refreshTokenOf(web.msal),
      scope: `${api.scope} openid`,
    });
    expect(withoutProfile.status).toBe(200);
    for (const token of [withoutProfile.body.access_token, withoutProfile.body.id_token]) {
      const claims = decodeJwt(String(token));
      expect(claims.name).toBeUndefined();
      expect(claims.preferred_username).toBeUndefined();
      expect(claims.oid).toBe(testUser(t, "alex").id);
    }
    expect(decodeJwt(String(withoutProfile.body.id_token)).roles).toEqual(["Reports.Reader"]);
  });

  it("keeps the form the client named a v1 API by as aud, and sends no scope in client-credentials answers", async () => {
    const t = tenant();
    const api = await addApi(t);
    await t.store.commit(() => {
      api.app.api.requestedAccessTokenVersion = 1;
    });
    const web = await webClient(t);
    const byGuid = await web.msal.acquireTokenByClientCredential({ scopes: [`${api.app.appId}/.default`] });
    expect(decodeJwt(byGuid!.accessToken)).toMatchObject({ aud: api.app.appId, ver: "1.0" });
    const byUri = await web.msal.acquireTokenByClientCredential({
      scopes: [`api://${api.app.appId}/.default`],
    });
    expect(decodeJwt(byUri!.accessToken).aud).toBe(`api://${api.app.appId}`);

    const raw = await postForm(t, t.urls.token, {
      grant_type: "client_credentials",
      client_id: web.app.appId,
      client_secret: web.secret,
      scope: `api://${api.app.appId}/.default`,
    });
    expect(Object.keys(raw.body).sort()).toEqual([
      "access_token",
      "expires_in",
      "ext_expires_in",
      "token_type",
    ]);
  });

  it("gives access tokens Entra's random lifetime of 60 to 90 minutes, from the tenant's random", async () => {
    const t = tenant();
    const api = await addApi(t);
    const web = await webClient(t);
    const scope = `api://${api.app.appId}/.default`;
    const lifetime = async () => {
      const raw = await postForm(t, t.urls.token, {
        grant_type: "client_credentials",
        client_id: web.app.appId,
        client_secret: web.secret,
        scope,
      });
      const claims = decodeJwt(String(raw.body.access_token));
      expect(claims.exp! - claims.iat!).toBe(raw.body.expires_in);
      return Number(raw.body.expires_in);
    };
    const random = t.ctx.random;
    try {
      t.ctx.random = () => 0;
      expect(await lifetime()).toBe(ENTRA_ACCESS_TOKEN_LIFETIME.minSeconds);
      t.ctx.random = () => 0.999_999;
      expect(await lifetime()).toBe(ENTRA_ACCESS_TOKEN_LIFETIME.maxSeconds);
    } finally {
      t.ctx.random = random;
    }
    const seen = [await lifetime(), await lifetime(), await lifetime()];
    for (const seconds of seen) {
      expect(seconds).toBeGreaterThanOrEqual(3600);
      expect(seconds).toBeLessThanOrEqual(5400);
    }
  });

  it("answers an expired refresh token with AADSTS700082, which msal turns into interaction required", async () => {
    const t = tenant();
    const api = await addApi(t);
    const client = await addClient(t, { publicClient: ["http://localhost"] });
    const pca = new PublicClientApplication(
      msalConfiguration({ authority: t.urls.authority, caPems: [t.caPem] }, { clientId: client.app.appId }),
    );
    const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
    const url = await pca.getAuthCodeUrl({
      scopes: [api.scope],
      redirectUri: "http://localhost:5173",
      codeChallenge: challenge,
      codeChallengeMethod: "S256",
    });
    const outcome = await new SignInDriver({
      caPem: t.caPem,
      user: testUser(t, "alex").userPrincipalName,
    }).authorize(url, { deliver: false });
    if (outcome.kind !== "redirect") throw new Error(`stopped at ${outcome.step}`);
    const first = await pca.acquireTokenByCode({
      code: outcome.params.code!,
      scopes: [api.scope],
      redirectUri: "http://localhost:5173",
      codeVerifier: verifier,
    });
    t.clock.advance(91 * 24 * 3600 * 1000);
    const refused = await pca
      .acquireTokenSilent({ account: first!.account!, scopes: [api.scope], forceRefresh: true })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(InteractionRequiredAuthError);
    expect((refused as InteractionRequiredAuthError).errorCode).toBe("invalid_grant");
    expect((refused as InteractionRequiredAuthError).errorMessage).toMatch(
      /AADSTS700082: The refresh token has expired due to inactivity/,
    );
  });

  it("publishes each signing key with its certificate (x5c from the tenant's CA, x5t its thumbprint) and issuer", async () => {
    const t = tenant();
    const fetch = trustedFetch([t.caPem]);
    const jwks = (await (await fetch(t.urls.jwks)).json()) as { keys: Record<string, unknown>[] };
    const key = jwks.keys[0]!;
    expect(key).toMatchObject({ kty: "RSA", use: "sig", issuer: t.urls.issuer });
    const der = Buffer.from((key.x5c as string[])[0]!, "base64");
    const certificate = new X509Certificate(der);
    expect(certificate.checkIssued(new X509Certificate(t.caPem))).toBe(true);
    expect(certificate.verify(new X509Certificate(t.caPem).publicKey)).toBe(true);
    expect(key.x5t).toBe(createHash("sha1").update(der).digest("base64url"));
    // A token verifies with the key taken from the certificate, as libraries that read x5c do.
    const api = await addApi(t);
    const web = await webClient(t);
    const token = await web.msal.acquireTokenByClientCredential({
      scopes: [`api://${api.app.appId}/.default`],
    });
    const publicKey = await importX509(certificate.toString(), "RS256");
    const currentDate = new Date(t.clock.now());
    await expect(
      jwtVerify(token!.accessToken, publicKey, { issuer: t.urls.issuer, currentDate }),
    ).resolves.toBeTruthy();
    // The certificate is kept with its key: the next read publishes the same one.
    const again = (await (await fetch(t.urls.jwks)).json()) as { keys: Record<string, unknown>[] };
    expect(again.keys[0]!.x5t).toBe(key.x5t);
  });

  it("answers every endpoint its discovery documents advertise (v2 and v1): userinfo, logout, v1 token", async () => {
    const t = tenant();
    const fetch = trustedFetch([t.caPem]);
    const v2 = (await (await fetch(t.urls.openidConfiguration)).json()) as Record<string, string>;
    const v1 = (await (await fetch(`${t.urls.authority}/.well-known/openid-configuration`)).json()) as Record<
      string,
      string
    >;
    const endpoints = [
      "authorization_endpoint",
      "token_endpoint",
      "device_authorization_endpoint",
      "end_session_endpoint",
      "userinfo_endpoint",
      "jwks_uri",
    ];
    for (const document of [v2, v1]) {
      for (const name of endpoints) {
        const url = document[name]!;
        const method = name === "token_endpoint" || name === "device_authorization_endpoint" ? "POST" : "GET";
        const response = await fetch(url, { method, redirect: "manual" });
        expect(response.status, `${name} ${url}`).not.toBe(404);
      }
    }

    // userinfo: a delegated Graph token gives the same pairwise sub as the client's ID token.
    const web = await webClient(t);
    const signedIn = await signIn(t, web, ["User.Read"]);
    const info = await fetch(v2.userinfo_endpoint!, {
      headers: { authorization: `Bearer ${signedIn!.accessToken}` },
    });
    expect(info.status).toBe(200);
    const userinfo = (await info.json()) as Record<string, string>;
    expect(userinfo).toMatchObject({
      sub: decodeJwt(signedIn!.idToken).sub,
      name: testUser(t, "alex").displayName,
    });
    const anonymous = await fetch(v2.userinfo_endpoint!);
    expect(anonymous.status).toBe(401);

    // logout: back to a registered post_logout_redirect_uri with state; otherwise the signed-out page.
    const out = new URL(v2.end_session_endpoint!);
    out.searchParams.set("post_logout_redirect_uri", web.redirectUri);
    out.searchParams.set("client_id", web.app.appId);
    out.searchParams.set("state", "bye");
    const redirected = await getRaw(t, out.toString());
    expect(redirected.status).toBe(302);
    expect(redirected.headers.get("location")).toBe(`${web.redirectUri}?state=bye`);
    out.searchParams.set("post_logout_redirect_uri", "https://evil.example/");
    expect((await getRaw(t, out.toString())).status).toBe(200);

    // v1 token endpoint: `resource`, and v1's response shape.
    const api = await addApi(t);
    const v1Token = await postForm(t, v1.token_endpoint!, {
      grant_type: "client_credentials",
      client_id: web.app.appId,
      client_secret: web.secret,
      resource: `api://${api.app.appId}`,
    });
    expect(v1Token.status).toBe(200);
    expect(v1Token.body).toMatchObject({ token_type: "Bearer", resource: `api://${api.app.appId}` });
    expect(typeof v1Token.body.expires_in).toBe("string");
    expect(Number(v1Token.body.expires_on) - Number(v1Token.body.not_before)).toBe(
      Number(v1Token.body.expires_in),
    );
    expect(decodeJwt(String(v1Token.body.access_token)).aud).toBe(api.app.appId);
  });

  it("asks consent for several resources in one /authorize; the redemption's scope picks the token's resource", async () => {
    const t = tenant();
    const first = await addApi(t, { name: "first API" });
    const second = await addApi(t, { name: "second API" });
    const web = await webClient(t);
    const forSecond = await signIn(t, web, [first.scope, second.scope], { redeem: [second.scope] });
    expect(forSecond.steps).toEqual(["sign-in", "consent"]);
    expect(decodeJwt(forSecond.accessToken)).toMatchObject({ aud: second.app.appId, scp: "access_as_user" });
    // The first API was consented on the same page: its token comes from the refresh token, no prompt.
    const forFirst = await web.msal.acquireTokenSilent({
      account: forSecond.account!,
      scopes: [first.scope],
    });
    expect(decodeJwt(forFirst!.accessToken).aud).toBe(first.app.appId);
  });

  it("combines consent for an API that lists the client in knownClientApplications: its on-behalf-of needs none", async () => {
    const t = tenant();
    const api = await addApi(t, { name: "MCP server" });
    const secret = await t.store.commit((state) => {
      api.app.requiredResourceAccess = [
        { resourceAppId: MICROSOFT_GRAPH_APP_ID, resourceAccess: [{ id: USER_READ_ID, type: "Scope" }] },
      ];
      return addPassword(state, api.app, {}, Date.now()).secretText;
    });
    const middleTier = confidential(t, api.app.appId, secret);
    const web = await webClient(t);
    const obo = async () => {
      const signedIn = await signIn(t, web, [api.scope]);
      return middleTier
        .acquireTokenOnBehalfOf({ oboAssertion: signedIn!.accessToken, scopes: ["User.Read"] })
        .catch((error: unknown) => error as Error);
    };
    // Not known: the user consents to the client only; the middle tier's on-behalf-of gets 65001.
    const refused = await obo();
    expect(String((refused as Error).message)).toMatch(/AADSTS65001/);
    // Known: a fresh consent (another user) covers the middle tier's Graph permission too.
    await t.store.commit(() => {
      api.app.api.knownClientApplications = [web.app.appId];
    });
    const megan = await signIn(t, web, [api.scope], { user: "megan" });
    expect(megan.steps).toEqual(["sign-in", "consent"]);
    const graph = await middleTier.acquireTokenOnBehalfOf({
      oboAssertion: megan.accessToken,
      scopes: ["User.Read"],
    });
    expect(decodeJwt(graph!.accessToken)).toMatchObject({ scp: "User.Read", oid: testUser(t, "megan").id });
  });

  it("restricts user consent (90094, 90095 with the workflow) and lets an admin consent through /adminconsent", async () => {
    const t = tenant();
    const api = await addApi(t);
    const roleId = randomUUID();
    const web = await webClient(t);
    await t.store.commit(() => {
      api.app.appRoles = [
        {
          id: roleId,
          value: "Tools.Read",
          displayName: "Read tools",
          description: "Reads tools",
          allowedMemberTypes: ["Application"],
          isEnabled: true,
        },
      ];
      const scopeId = api.app.api.oauth2PermissionScopes[0]!.id;
      web.app.requiredResourceAccess = [
        {
          resourceAppId: api.app.appId,
          resourceAccess: [
            { id: scopeId, type: "Scope" },
            { id: roleId, type: "Role" },
          ],
        },
      ];
    });
    const settings = (body: Record<string, unknown>) =>
      trustedFetch([t.caPem])(`${t.url}/_admin/settings`, {
        method: "PATCH",
        headers: { authorization: `Bearer ${t.adminToken}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const alexSignIn = async () => {
      const url = await web.msal.getAuthCodeUrl({ scopes: [api.scope], redirectUri: web.redirectUri });
      return new SignInDriver({ caPem: t.caPem, user: testUser(t, "alex").userPrincipalName }).authorize(
        url,
        {
          deliver: false,
        },
      );
    };
    try {
      expect((await settings({ userConsent: "none" })).status).toBe(200);
      const denied = await alexSignIn();
      if (denied.kind !== "redirect") throw new Error(`stopped at ${denied.step}`);
      expect(denied.steps).toContain("admin-approval");
      expect(denied.params.error).toBe("access_denied");
      expect(denied.params.error_description).toMatch(/^AADSTS90094:/);
      await settings({ adminConsentWorkflow: true });
      const workflow = await alexSignIn();
      if (workflow.kind !== "redirect") throw new Error(`stopped at ${workflow.step}`);
      expect(workflow.params.error_description).toMatch(/^AADSTS90095: Admin consent is required/);

      // /adminconsent: someone who is not an administrator goes back with access_denied...
      const adminConsentUrl = `${t.urls.authority}/adminconsent?client_id=${web.app.appId}&redirect_uri=${encodeURIComponent(web.redirectUri)}&state=org`;
      const notAdmin = await new SignInDriver({
        caPem: t.caPem,
        user: testUser(t, "megan").userPrincipalName,
      }).authorize(adminConsentUrl, { deliver: false });
      expect(notAdmin).toMatchObject({ kind: "redirect", params: { error: "access_denied", state: "org" } });
      // ...an administrator consents for the organization and the client hears admin_consent=True.
      const admin = await new SignInDriver({
        caPem: t.caPem,
        user: testUser(t, "adele").userPrincipalName,
      }).authorize(adminConsentUrl, { deliver: false });
      expect(admin).toMatchObject({
        kind: "redirect",
        steps: ["sign-in", "consent"],
        params: { admin_consent: "True", tenant: t.tenantId, state: "org" },
      });
      // Now alex signs in without any page, and the client's app-only token carries the role.
      const allowed = await alexSignIn();
      expect(allowed).toMatchObject({ kind: "redirect", steps: ["sign-in"] });
      const appOnly = await web.msal.acquireTokenByClientCredential({
        scopes: [`api://${api.app.appId}/.default`],
      });
      expect(decodeJwt(appOnly!.accessToken).roles).toEqual(["Tools.Read"]);
    } finally {
      await settings({ userConsent: "allow", adminConsentWorkflow: false });
    }
  });

  it("deletes applications softly for 30 days: deletedItems lists them, restore brings back their secrets, delete purges", async () => {
    const t = tenant();
    const admin = await t.createGraphAdminApp();
    const graph = appOnlyGraphClient(t, admin);
    const api = await addApi(t);
    const created = await graph.api("/applications").post({ displayName: "soon deleted" });
    const { secretText } = await graph
      .api(`/applications/${created.id}/addPassword`)
      .post({ passwordCredential: {} });
    await graph.api("/servicePrincipals").post({ appId: created.appId });
    const client = confidential(t, created.appId, secretText);
    const token = () =>
      client.acquireTokenByClientCredential({ scopes: [`api://${api.app.appId}/.default`], skipCache: true });
    await expect(token()).resolves.toBeTruthy();

    await graph.api(`/applications/${created.id}`).delete();
    await expectGraphError(graph.api(`/applications/${created.id}`).get(), 404, "Request_ResourceNotFound");
    await expect(token()).rejects.toThrow(/AADSTS700016/);
    const deleted = await graph.api("/directory/deletedItems/microsoft.graph.application").get();
    const entry = deleted.value.find((item: { id: string }) => item.id === created.id);
    expect(entry).toMatchObject({ appId: created.appId, "@odata.type": "#microsoft.graph.application" });
    expect(Date.parse(entry.deletedDateTime)).toBeGreaterThan(0);

    const restored = await graph.api(`/directory/deletedItems/${created.id}/restore`).post({});
    expect(restored).toMatchObject({ id: created.id, deletedDateTime: null });
    // Its service principal was deleted with it: a new one, and the old secret signs in again.
    await graph.api("/servicePrincipals").post({ appId: created.appId });
    await expect(token()).resolves.toBeTruthy();

    await graph.api(`/applications/${created.id}`).delete();
    await graph.api(`/directory/deletedItems/${created.id}`).delete();
    await expectGraphError(
      graph.api(`/directory/deletedItems/${created.id}`).get(),
      404,
      "Request_ResourceNotFound",
    );

    // Left in the deleted items, an application is purged after 30 days (on the tenant's clock).
    const later = await graph.api("/applications").post({ displayName: "purged later" });
    await graph.api(`/applications/${later.id}`).delete();
    t.clock.advance(31 * 24 * 3600 * 1000);
    const graphLater = appOnlyGraphClient(t, admin); // a token valid on the tenant's moved clock
    await expectGraphError(
      graphLater.api(`/directory/deletedItems/${later.id}/restore`).post({}),
      404,
      "Request_ResourceNotFound",
    );
  });

  it("ignores the port of http://localhost and http://127.0.0.1 redirect URIs only, as Entra documents", async () => {
    const t = tenant();
    const api = await addApi(t);
    const client = await addClient(t, {
      publicClient: ["http://localhost/cb", "https://localhost/cb", "http://[::1]/cb"],
    });
    const status = async (redirectUri: string) => {
      const response = await getRaw(
        t,
        authorizeUrl(t, { client_id: client.app.appId, redirect_uri: redirectUri, scope: api.scope }),
      );
      return response.status === 200 && !/data-aadsts="50011"/.test(response.text) ? "sign-in" : "50011";
    };
    expect(await status("http://localhost:49152/cb")).toBe("sign-in");
    expect(await status("https://localhost:8443/cb")).toBe("50011");
    expect(await status("http://[::1]:49152/cb")).toBe("50011");
    expect(await status("http://[::1]/cb")).toBe("sign-in");
  });
});

function refreshTokenOf(msal: ConfidentialClientApplication): string {
  const cache = JSON.parse(msal.getTokenCache().serialize()) as {
    RefreshToken: Record<string, { secret: string }>;
  };
  return Object.values(cache.RefreshToken)[0]!.secret;
}

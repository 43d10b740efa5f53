import { createHash, randomUUID, X509Certificate } from "node:crypto";
import { CryptoProvider, InteractionRequiredAuthError, PublicClientApplication } from "@azure/msal-node";
import { decodeJwt, importX509, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { msalConfiguration } from "../../../src/entra/msal-config.js";
import { trustedFetch } from "../../../src/entra/trust.js";
import { newAppRoleAssignment } from "../../../src/tenant/directory/object-factories.js";
import { ENTRA_ACCESS_TOKEN_LIFETIME } from "../../../src/tenant/tokens/access-token-lifetime.js";
import { useDevTenant } from "../../helpers/dev-tenant.js";
import { refreshTokenOf, signIn, webClient } from "../../helpers/entra-clients.js";
import { SignInDriver } from "../../helpers/sign-in-driver.js";
import { addApi, addClient, getRaw, postForm, testUser } from "../../helpers/sign-in-fixtures.js";

/**
 * The dev tenant's tokens, keys and endpoints as Microsoft documents Entra's (issue 18), driven with
 * the libraries an app uses: msal-node for tokens, jose for checking them.
 */
describe("Entra's documented tokens, keys and endpoints", () => {
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
});

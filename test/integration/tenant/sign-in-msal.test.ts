import {
  type AccountInfo,
  ConfidentialClientApplication,
  CryptoProvider,
  InteractionRequiredAuthError,
  PublicClientApplication,
} from "@azure/msal-node";
import { describe, expect, it } from "vitest";
import { msalConfiguration } from "../../../src/entra/msal-config.js";
import { MICROSOFT_GRAPH_APP_ID } from "../../../src/entra/well-known.js";
import { addToGrant } from "../../../src/tenant/directory/object-factories.js";
import type { DevTenant } from "../../../src/tenant/index.js";
import { useDevTenant } from "../../helpers/dev-tenant.js";
import { SignInDriver } from "../../helpers/sign-in-driver.js";
import { addApi, addClient, postForm, testUser, verifyToken } from "../../helpers/sign-in-fixtures.js";

function refreshTokenIn(app: PublicClientApplication): string {
  const cache = JSON.parse(app.getTokenCache().serialize()) as {
    RefreshToken: Record<string, { secret: string }>;
  };
  const tokens = Object.values(cache.RefreshToken);
  expect(tokens).toHaveLength(1);
  return tokens[0]!.secret;
}

async function expectUserToken(
  t: DevTenant,
  token: string,
  audience: string,
  clientId: string,
  alias: "alex" | "adele",
) {
  const user = testUser(t, alias);
  const claims = await verifyToken(t, token, audience);
  expect(claims).toMatchObject({
    tid: t.tenantId,
    oid: user.id,
    name: user.displayName,
    preferred_username: user.userPrincipalName,
    azp: clientId,
    ver: "2.0",
    scp: "access_as_user",
  });
  expect(typeof claims.sub).toBe("string");
  expect(claims.sub).not.toBe(user.id);
  return claims;
}

describe("msal-node sign-in against the dev tenant", () => {
  const tenant = useDevTenant();

  it("ConfidentialClientApplication: auth code + PKCE with a secret, nonce echoed, pairwise sub", async () => {
    const t = tenant();
    const api = await addApi(t);
    const redirectUri = "https://app.contoso.test/auth/callback";
    const client = await addClient(t, { web: [redirectUri], secret: true });
    const cca = new ConfidentialClientApplication(
      msalConfiguration(
        { authority: t.urls.authority, caPems: [t.caPem] },
        { clientId: client.app.appId, clientSecret: client.secret },
      ),
    );
    const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
    const url = await cca.getAuthCodeUrl({
      scopes: [api.scope],
      redirectUri,
      codeChallenge: challenge,
      codeChallengeMethod: "S256",
      state: "state-123",
      nonce: "nonce-456",
    });
    const driver = new SignInDriver({ caPem: t.caPem, user: testUser(t, "alex").userPrincipalName });
    const outcome = await driver.authorize(url, { deliver: false });
    if (outcome.kind !== "redirect") throw new Error(`stopped at ${outcome.step}`);
    expect(outcome.steps).toEqual(["sign-in", "consent"]);
    expect(outcome.redirectUri).toBe(redirectUri);
    expect(outcome.params.state).toBe("state-123");
    expect(outcome.params.code).toBeTruthy();

    const result = await cca.acquireTokenByCode(
      {
        code: outcome.params.code!,
        scopes: [api.scope],
        redirectUri,
        codeVerifier: verifier,
        nonce: "nonce-456",
      },
      // With a payload msal checks the nonce strictly (state is ours, not msal's, so it stays out).
      { code: outcome.params.code! },
    );
    const access = await expectUserToken(t, result.accessToken, api.app.appId, client.app.appId, "alex");
    expect(access.azpacr).toBe("1");
    const id = await verifyToken(t, result.idToken, client.app.appId);
    expect(id.nonce).toBe("nonce-456");
    // sub is pairwise: different for the client (id_token) and for the API (access token).
    expect(id.sub).not.toBe(access.sub);
    expect(result.account?.homeAccountId).toBe(`${testUser(t, "alex").id}.${t.tenantId}`);
    // Consent created the client's service principal and a Principal grant, as in Entra.
    const clientSp = t.store.state.servicePrincipals.find((sp) => sp.appId === client.app.appId);
    expect(clientSp).toBeDefined();
    expect(
      t.store.state.oauth2PermissionGrants.find(
        (grant) => grant.clientId === clientSp!.id && grant.principalId === testUser(t, "alex").id,
      )?.scope,
    ).toBe("access_as_user");
  });

  it("PublicClientApplication: auth code on a loopback port, silent refresh (the used token stays valid, as on Entra), multi-resource refresh", async () => {
    const t = tenant();
    const api = await addApi(t);
    const client = await addClient(t, { publicClient: ["http://localhost"] });
    const pca = new PublicClientApplication(
      msalConfiguration({ authority: t.urls.authority, caPems: [t.caPem] }, { clientId: client.app.appId }),
    );
    const redirectUri = "http://localhost:8400";
    const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
    const url = await pca.getAuthCodeUrl({
      scopes: [api.scope],
      redirectUri,
      codeChallenge: challenge,
      codeChallengeMethod: "S256",
    });
    const driver = new SignInDriver({ caPem: t.caPem, user: testUser(t, "alex").userPrincipalName });
    const outcome = await driver.authorize(url, { deliver: false });
    if (outcome.kind !== "redirect") throw new Error(`stopped at ${outcome.step}`);
    const first = await pca.acquireTokenByCode({
      code: outcome.params.code!,
      scopes: [api.scope],
      redirectUri,
      codeVerifier: verifier,
    });
    const access = await expectUserToken(t, first.accessToken, api.app.appId, client.app.appId, "alex");
    expect(access.azpacr).toBe("0");
    const id = await verifyToken(t, first.idToken, client.app.appId);
    expect(id.nonce).toBeUndefined();
    const account = first.account as AccountInfo;

    const oldRefreshToken = refreshTokenIn(pca);
    const refreshed = await pca.acquireTokenSilent({ account, scopes: [api.scope], forceRefresh: true });
    expect(refreshed.accessToken).not.toBe(first.accessToken);
    await expectUserToken(t, refreshed.accessToken, api.app.appId, client.app.appId, "alex");
    const newRefreshToken = refreshTokenIn(pca);
    expect(newRefreshToken).not.toBe(oldRefreshToken);
    // As on Entra, the used refresh token is not revoked (msal keeps only the new one).
    const reused = await postForm(t, t.urls.token, {
      grant_type: "refresh_token",
      client_id: client.app.appId,
      refresh_token: oldRefreshToken,
      scope: `${api.scope} offline_access`,
    });
    expect(reused.status).toBe(200);

    // Another resource through the same refresh token: refused without consent (65001) ...
    const graph = await pca.acquireTokenSilent({ account, scopes: ["User.Read"] }).catch((error) => error);
    expect(graph).toBeInstanceOf(InteractionRequiredAuthError);
    expect(String(graph.errorMessage)).toContain("AADSTS65001");
    // ... and granted once the user has consented to it.
    await t.store.commit((state) => {
      const clientSp = state.servicePrincipals.find((sp) => sp.appId === client.app.appId)!;
      const graphSp = state.servicePrincipals.find((sp) => sp.appId === MICROSOFT_GRAPH_APP_ID)!;
      addToGrant(
        state,
        {
          clientId: clientSp.id,
          resourceId: graphSp.id,
          consentType: "Principal",
          principalId: testUser(t, "alex").id,
        },
        ["User.Read"],
      );
    });
    const graphToken = await pca.acquireTokenSilent({ account, scopes: ["User.Read"] });
    const graphClaims = await verifyToken(
      t,
      graphToken.accessToken,
      "https://graph.microsoft.com",
      t.urls.v1Issuer,
    );
    expect(graphClaims).toMatchObject({ scp: "User.Read", oid: testUser(t, "alex").id, ver: "1.0" });
  });

  it("acquireTokenInteractive: msal's loopback server gets the code by form_post from the driver", async () => {
    const t = tenant();
    const api = await addApi(t);
    const client = await addClient(t, { publicClient: ["http://localhost"], name: "Interactive client" });
    const pca = new PublicClientApplication(
      msalConfiguration({ authority: t.urls.authority, caPems: [t.caPem] }, { clientId: client.app.appId }),
    );
    const driver = new SignInDriver({ caPem: t.caPem, user: testUser(t, "adele").userPrincipalName });
    const seen: string[] = [];
    const result = await pca.acquireTokenInteractive({
      scopes: [api.scope],
      openBrowser: async (url) => {
        const outcome = await driver.authorize(url);
        if (outcome.kind !== "redirect") throw new Error(`stopped at ${outcome.step}`);
        seen.push(outcome.responseMode, String(outcome.delivered?.status), ...outcome.steps);
      },
    });
    expect(seen).toEqual(["form_post", "200", "sign-in", "consent", "form-post"]);
    await expectUserToken(t, result.accessToken, api.app.appId, client.app.appId, "adele");
    expect(result.account?.username).toBe(testUser(t, "adele").userPrincipalName);

    // The driver keeps the session: the next interactive sign-in needs no page at all.
    const again = await pca.acquireTokenInteractive({
      scopes: [api.scope],
      prompt: "none",
      openBrowser: async (url) => {
        const outcome = await driver.authorize(url);
        if (outcome.kind !== "redirect") throw new Error(`stopped at ${outcome.step}`);
        seen.push(...outcome.steps);
      },
    });
    expect(seen.slice(5)).toEqual(["form-post"]);
    expect(again.account?.homeAccountId).toBe(result.account?.homeAccountId);
  });
});

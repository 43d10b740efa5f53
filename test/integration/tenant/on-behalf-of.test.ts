import { generateKeyPairSync } from "node:crypto";
import { decodeJwt, decodeProtectedHeader, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { MICROSOFT_GRAPH_APP_ID, VSCODE_CLIENT_ID } from "../../../src/entra/well-known.js";
import { newUser } from "../../../src/tenant/directory/seed.js";
import type { DevTenant } from "../../../src/tenant/index.js";
import { selfSignedCertificate } from "../../helpers/certificate.js";
import { useDevTenant } from "../../helpers/dev-tenant.js";
import { expectEntraError, expectMsalEntraError } from "../../helpers/entra-error.js";
import { confidentialClient, lastTokenResponse, postToken } from "../../helpers/msal-clients.js";
import { addCertificateCredential, grantConsent, type SeededApp, seedApp } from "../../helpers/seed-apps.js";
import { verifyTenantToken } from "../../helpers/verify-token.js";

const GRAPH_USER_READ = "https://graph.microsoft.com/User.Read";

describe("on-behalf-of", () => {
  const tenant = useDevTenant();

  /** A middle-tier API (Entra's default v1 tokens) with a secret and admin consent for Graph User.Read. */
  async function middleTier(t: DevTenant, options: { consent?: boolean } = {}) {
    const api = await seedApp(t, { displayName: "mcp server", exposes: ["access_as_user"], secret: true });
    if (options.consent !== false) {
      await grantConsent(t, { client: api.appId, resource: MICROSOFT_GRAPH_APP_ID, scopes: ["User.Read"] });
    }
    return api;
  }

  /** The token VS Code would send the middle tier for a user. */
  async function userToken(t: DevTenant, api: SeededApp, user = t.store.state.users[1]!) {
    const { access_token } = await t.issueToken({
      clientId: VSCODE_CLIENT_ID,
      scope: `${api.uri}/access_as_user`,
      user: user.userPrincipalName,
    });
    return { assertion: access_token, user };
  }

  function obo(t: DevTenant, api: SeededApp, assertion: string, scopes = [GRAPH_USER_READ]) {
    const { msal, responses } = confidentialClient(t, { clientId: api.appId, clientSecret: api.secret! });
    return { call: msal.acquireTokenOnBehalfOf({ oboAssertion: assertion, scopes }), responses, msal };
  }

  it("exchanges a user's token for a Graph token for the same user, with the middle tier as client", async () => {
    const t = tenant();
    const api = await middleTier(t);
    const { assertion, user } = await userToken(t, api);
    expect(decodeJwt(assertion)).toMatchObject({ aud: api.uri, ver: "1.0" });

    const { call, msal } = obo(t, api, assertion);
    const result = await call;
    const { payload } = await verifyTenantToken(t, result!.accessToken, {
      issuer: `https://sts.windows.net/${t.tenantId}/`,
      audience: "https://graph.microsoft.com",
    });
    expect(payload).toMatchObject({
      appid: api.appId,
      appidacr: "1",
      oid: user.id,
      scp: "User.Read",
      tid: t.tenantId,
      upn: user.userPrincipalName,
    });
    expect(payload.idtyp).toBeUndefined();
    expect(result?.account?.username).toBe(user.userPrincipalName);
    // msal asks for offline_access, so a refresh token for the middle tier comes back too.
    const cache = JSON.parse(msal.getTokenCache().serialize()) as { RefreshToken: Record<string, unknown> };
    expect(Object.values(cache.RefreshToken)).toHaveLength(1);
  });

  it("issues v2 tokens for a v2 downstream API, with per-user consent and a certificate-authenticated middle tier", async () => {
    const t = tenant();
    const downstream = await seedApp(t, {
      displayName: "downstream",
      tokenVersion: 2,
      exposes: ["Data.Read"],
    });
    const api = await seedApp(t, {
      displayName: "mcp server v2",
      tokenVersion: 2,
      exposes: ["access_as_user"],
    });
    const certificate = await selfSignedCertificate();
    await addCertificateCredential(t, api.appId, certificate);
    const [, alex, megan] = t.store.state.users;
    await grantConsent(t, {
      client: api.appId,
      resource: downstream.appId,
      scopes: ["Data.Read"],
      userId: alex!.id,
    });
    const { msal, responses } = confidentialClient(t, {
      clientId: api.appId,
      clientCertificate: { thumbprintSha256: certificate.sha256Hex, privateKey: certificate.privateKeyPem },
    });

    const forAlex = await userToken(t, api, alex);
    expect(decodeJwt(forAlex.assertion)).toMatchObject({ aud: api.appId, ver: "2.0" });
    const result = await msal.acquireTokenOnBehalfOf({
      oboAssertion: forAlex.assertion,
      scopes: [`${downstream.uri}/Data.Read`],
    });
    const { payload } = await verifyTenantToken(t, result!.accessToken, {
      issuer: t.urls.issuer,
      audience: downstream.appId,
    });
    expect(payload).toMatchObject({
      azp: api.appId,
      azpacr: "2",
      oid: alex!.id,
      scp: "Data.Read",
      ver: "2.0",
    });

    // The grant is Alex's alone: Megan has not consented.
    const forMegan = await userToken(t, api, megan);
    await expectMsalEntraError(
      msal.acquireTokenOnBehalfOf({
        oboAssertion: forMegan.assertion,
        scopes: [`${downstream.uri}/Data.Read`],
      }),
      responses,
      65001,
    );
  });

  it("needs consent for the middle tier (AADSTS65001)", async () => {
    const t = tenant();
    const api = await middleTier(t, { consent: false });
    const { assertion } = await userToken(t, api);
    const { call, responses } = obo(t, api, assertion);
    await expectMsalEntraError(call, responses, 65001);
    const { body } = lastTokenResponse(responses);
    expect((body as { error_description: string }).error_description).toContain(api.appId);
  });

  it("refuses a token for another audience (AADSTS500131)", async () => {
    const t = tenant();
    const api = await middleTier(t);
    const { access_token: graphToken } = await t.issueToken({
      clientId: VSCODE_CLIENT_ID,
      scope: GRAPH_USER_READ,
      user: t.store.state.users[1]!.userPrincipalName,
    });
    const { call, responses } = obo(t, api, graphToken);
    await expectMsalEntraError(call, responses, 500131);
  });

  it("refuses an app-only token (AADSTS7000114)", async () => {
    const t = tenant();
    const api = await middleTier(t);
    const daemon = await seedApp(t, { displayName: "daemon", identifierUri: false });
    const { access_token: appOnly } = await t.issueToken({
      clientId: daemon.appId,
      scope: `${api.uri}/.default`,
    });
    const { call, responses } = obo(t, api, appOnly);
    await expectMsalEntraError(call, responses, 7000114);
  });

  it("refuses an expired user token (AADSTS500133)", async () => {
    const t = tenant();
    const api = await middleTier(t);
    const { assertion } = await userToken(t, api);
    t.clock.advance(2 * 3600 * 1000);
    const { call, responses } = obo(t, api, assertion);
    await expectMsalEntraError(call, responses, 500133);
  });

  it("refuses a token this tenant did not sign (AADSTS50013)", async () => {
    const t = tenant();
    const api = await middleTier(t);
    const { assertion } = await userToken(t, api);
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const forged = await new SignJWT(decodeJwt(assertion))
      .setProtectedHeader({ ...decodeProtectedHeader(assertion), alg: "RS256", kid: "someone-else" })
      .sign(privateKey);
    const { call, responses } = obo(t, api, forged);
    await expectMsalEntraError(call, responses, 50013);
  });

  it("refuses a token for a user who has left the tenant (AADSTS50034)", async () => {
    const t = tenant();
    const api = await middleTier(t);
    const leaver = await t.store.commit((state) => {
      const user = newUser(state.tenant.domain, { alias: "leaver", displayName: "Leaver" });
      state.users.push(user);
      return user;
    });
    const { assertion } = await userToken(t, api, leaver);
    await t.store.commit((state) => {
      state.users = state.users.filter((user) => user.id !== leaver.id);
    });
    const { call, responses } = obo(t, api, assertion);
    await expectMsalEntraError(call, responses, 50034);
  });

  it("needs the assertion and requested_token_use (AADSTS900144)", async () => {
    const t = tenant();
    const api = await middleTier(t);
    const { assertion } = await userToken(t, api);
    const base = {
      grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer",
      client_id: api.appId,
      client_secret: api.secret!,
      scope: GRAPH_USER_READ,
    };
    const withoutUse = await postToken(t, { ...base, assertion });
    expectEntraError(withoutUse, 900144);
    expect((withoutUse.body as { error_description: string }).error_description).toContain(
      "requested_token_use",
    );
    const withoutAssertion = await postToken(t, { ...base, requested_token_use: "on_behalf_of" });
    expectEntraError(withoutAssertion, 900144);
    expect((withoutAssertion.body as { error_description: string }).error_description).toContain(
      "'assertion'",
    );
  });

  it("needs a tenant in the authority (AADSTS50059)", async () => {
    const t = tenant();
    const api = await middleTier(t);
    const { assertion } = await userToken(t, api);
    const response = await postToken(
      t,
      {
        grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer",
        requested_token_use: "on_behalf_of",
        client_id: api.appId,
        client_secret: api.secret!,
        assertion,
        scope: GRAPH_USER_READ,
      },
      { segment: "common" },
    );
    expectEntraError(response, 50059);
  });
});

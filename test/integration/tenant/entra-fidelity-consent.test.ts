import { randomUUID } from "node:crypto";
import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { trustedFetch } from "../../../src/entra/trust.js";
import { MICROSOFT_GRAPH_APP_ID } from "../../../src/entra/well-known.js";
import { addPassword } from "../../../src/tenant/directory/object-factories.js";
import { useDevTenant } from "../../helpers/dev-tenant.js";
import { confidential, signIn, USER_READ_ID, webClient } from "../../helpers/entra-clients.js";
import { appOnlyGraphClient, expectGraphError } from "../../helpers/graph.js";
import { SignInDriver } from "../../helpers/sign-in-driver.js";
import { addApi, addClient, authorizeUrl, getRaw, testUser } from "../../helpers/sign-in-fixtures.js";

/**
 * The dev tenant's consent, deletion and redirect rules as Microsoft documents Entra's (issue 18),
 * driven with msal-node and the Graph SDK.
 */
describe("Entra's documented consent, deletion and redirect rules", () => {
  const tenant = useDevTenant();

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

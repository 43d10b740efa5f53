import type { Client } from "@microsoft/microsoft-graph-client";
import { beforeAll, describe, expect, it } from "vitest";
import { VSCODE_CLIENT_ID } from "../../../src/entra/well-known.js";
import type { DevTenant } from "../../../src/tenant/index.js";
import { useDevTenant } from "../../helpers/dev-tenant.js";
import { expectMsalEntraError } from "../../helpers/entra-error.js";
import { appOnlyGraphClient } from "../../helpers/graph.js";
import { confidentialClient } from "../../helpers/msal-clients.js";
import { assignAppRole, grantConsent, type SeededApp, seedApp } from "../../helpers/seed-apps.js";
import { SignInDriver } from "../../helpers/sign-in-driver.js";
import { testUser } from "../../helpers/sign-in-fixtures.js";

/**
 * `appRoleAssignmentRequired` and disabled service principals, switched through Graph as an
 * administrator would, and met by msal-node as Entra answers: AADSTS501051 for an unassigned app,
 * AADSTS50105 for an unassigned user, AADSTS7000112 for a disabled client or resource.
 */
describe("assignment required and disabled service principals at the token endpoint", () => {
  const tenant = useDevTenant();
  let graph: Client;

  beforeAll(async () => {
    graph = appOnlyGraphClient(tenant(), await tenant().createGraphAdminApp());
  });

  const patchSp = (app: SeededApp, body: Record<string, boolean>) =>
    graph.api(`/servicePrincipals/${app.servicePrincipal!.id}`).patch(body);

  async function apiAndClient(t: DevTenant) {
    const api = await seedApp(t, {
      displayName: "locked api",
      roles: ["Tools.Read"],
      exposes: ["access_as_user"],
    });
    const client = await seedApp(t, { displayName: "ci client", secret: true });
    return { api, client };
  }

  it("client credentials: an app without a role of an API that requires assignment gets AADSTS501051", async () => {
    const t = tenant();
    const { api, client } = await apiAndClient(t);
    await patchSp(api, { appRoleAssignmentRequired: true });
    const scopes = [`${api.uri}/.default`];
    const { msal, responses } = confidentialClient(t, {
      clientId: client.appId,
      clientSecret: client.secret!,
    });
    await expectMsalEntraError(msal.acquireTokenByClientCredential({ scopes }), responses, 501051);
    expect(String((responses.at(-1)!.body as { error_description: string }).error_description)).toContain(
      `Application '${client.appId}'(ci client) is not assigned to a role for the application '${api.uri}'(locked api).`,
    );
    await assignAppRole(t, { client: client.appId, resource: api.appId, role: "Tools.Read" });
    const result = await msal.acquireTokenByClientCredential({ scopes, skipCache: true });
    expect(result?.accessToken).toBeTruthy();
  });

  it("client credentials: a disabled client or a disabled API service principal gets AADSTS7000112", async () => {
    const t = tenant();
    const { api, client } = await apiAndClient(t);
    const scopes = [`${api.uri}/.default`];
    const { msal, responses } = confidentialClient(t, {
      clientId: client.appId,
      clientSecret: client.secret!,
    });
    await patchSp(client, { accountEnabled: false });
    await expectMsalEntraError(msal.acquireTokenByClientCredential({ scopes }), responses, 7000112);
    await patchSp(client, { accountEnabled: true });
    await patchSp(api, { accountEnabled: false });
    await expectMsalEntraError(
      msal.acquireTokenByClientCredential({ scopes, skipCache: true }),
      responses,
      7000112,
    );
    expect(String((responses.at(-1)!.body as { error_description: string }).error_description)).toContain(
      `Application '${api.appId}'(locked api) is disabled.`,
    );
  });

  it("on-behalf-of: an unassigned user gets AADSTS50105 for an API that requires assignment", async () => {
    const t = tenant();
    const downstream = await seedApp(t, {
      displayName: "downstream",
      exposes: ["Data.Read"],
      roles: ["Reader"],
    });
    const middle = await seedApp(t, {
      displayName: "middle tier",
      exposes: ["access_as_user"],
      secret: true,
    });
    await grantConsent(t, { client: middle.appId, resource: downstream.appId, scopes: ["Data.Read"] });
    await patchSp(downstream, { appRoleAssignmentRequired: true });
    const alex = testUser(t, "alex");
    const { access_token: assertion } = await t.issueToken({
      clientId: VSCODE_CLIENT_ID,
      scope: `${middle.uri}/access_as_user`,
      user: alex.userPrincipalName,
    });
    const { msal, responses } = confidentialClient(t, {
      clientId: middle.appId,
      clientSecret: middle.secret!,
    });
    const scopes = [`${downstream.uri}/Data.Read`];
    await expectMsalEntraError(
      msal.acquireTokenOnBehalfOf({ oboAssertion: assertion, scopes }),
      responses,
      50105,
    );
    await graph.api(`/servicePrincipals/${downstream.servicePrincipal!.id}/appRoleAssignedTo`).post({
      principalId: alex.id,
      resourceId: downstream.servicePrincipal!.id,
      appRoleId: downstream.application.appRoles[0]!.id,
    });
    const result = await msal.acquireTokenOnBehalfOf({ oboAssertion: assertion, scopes });
    expect(result?.account?.username).toBe(alex.userPrincipalName);
  });

  it("sign-in and refresh: once the API requires assignment, the user's refresh is refused with AADSTS50105, and so is a new sign-in", async () => {
    const t = tenant();
    const api = await seedApp(t, { displayName: "web api", exposes: ["access_as_user"] });
    const redirectUri = "https://app.example.com/callback";
    const web = await seedApp(t, {
      displayName: "web app",
      secret: true,
      web: { redirectUris: [redirectUri] },
    });
    const adele = testUser(t, "adele");
    await grantConsent(t, { client: web.appId, resource: api.appId, scopes: ["access_as_user"] });
    const { msal, responses } = confidentialClient(t, { clientId: web.appId, clientSecret: web.secret! });
    const scopes = [`${api.uri}/access_as_user`];
    const driver = new SignInDriver({ caPem: t.caPem, user: adele.userPrincipalName });
    const signIn = () =>
      msal.getAuthCodeUrl({ scopes, redirectUri }).then((url) => driver.authorize(url, { deliver: false }));
    const outcome = await signIn();
    if (outcome.kind !== "redirect" || !outcome.params.code) throw new Error("no code");
    const first = await msal.acquireTokenByCode({ code: outcome.params.code, scopes, redirectUri });
    expect(first?.accessToken).toBeTruthy();

    await patchSp(api, { appRoleAssignmentRequired: true });
    await expectMsalEntraError(
      msal.acquireTokenSilent({ account: first!.account!, scopes, forceRefresh: true }),
      responses,
      50105,
    );
    const again = await signIn();
    expect(again).toMatchObject({ kind: "redirect", params: { error: "access_denied" } });
    expect(again.kind === "redirect" && again.params.error_description).toMatch(/^AADSTS50105: /);
  });
});

import { randomUUID } from "node:crypto";
import type { Client } from "@microsoft/microsoft-graph-client";
import { decodeJwt } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import {
  FEDERATED_TOKEN_AUDIENCE,
  GITHUB_ACTIONS_ISSUER,
  MICROSOFT_GRAPH_APP_ID,
} from "../../../src/entra/well-known.js";
import { useDevTenant } from "../../helpers/dev-tenant.js";
import { appOnlyGraphClient, delegatedGraphClient, errorBody, graphFailure } from "../../helpers/graph.js";

/** Every call in reference/graph-app-registration.md, through the real Graph SDK and msal-node. */
describe("the Graph app-registration calls", () => {
  const tenant = useDevTenant();
  let graph: Client;
  let admin: { appId: string; secret: string; servicePrincipalId: string };
  let meganId: string;

  beforeAll(async () => {
    const t = tenant();
    admin = await t.createGraphAdminApp();
    graph = appOnlyGraphClient(t, admin);
    meganId = t.store.state.users.find((user) => user.userPrincipalName.startsWith("megan@"))!.id;
  });

  it("creates an application with owners, and reads it back by id and by alternate keys", async () => {
    const t = tenant();
    const created = await graph.api("/applications").post({
      displayName: "ref-app",
      signInAudience: "AzureADMyOrg",
      uniqueName: "ref-app-unique",
      web: { redirectUris: ["https://app.example.com/callback"] },
      spa: { redirectUris: ["http://localhost:5173"] },
      publicClient: { redirectUris: ["http://localhost"] },
      isFallbackPublicClient: true,
      requiredResourceAccess: [
        {
          resourceAppId: MICROSOFT_GRAPH_APP_ID,
          resourceAccess: [{ id: "e1fe6dd8-ba31-4d61-89e7-88639da4683d", type: "Scope" }],
        },
      ],
      serviceManagementReference: "svc-123",
      "owners@odata.bind": [`https://graph.microsoft.com/v1.0/directoryObjects/${meganId}`],
    });
    expect(created).toMatchObject({
      "@odata.context": `${t.url}/v1.0/$metadata#applications/$entity`,
      displayName: "ref-app",
      signInAudience: "AzureADMyOrg",
      uniqueName: "ref-app-unique",
      identifierUris: [],
      publisherDomain: t.domain,
      api: { requestedAccessTokenVersion: null, oauth2PermissionScopes: [], preAuthorizedApplications: [] },
      web: {
        redirectUris: ["https://app.example.com/callback"],
        implicitGrantSettings: { enableAccessTokenIssuance: false, enableIdTokenIssuance: false },
      },
    });
    expect(created.id).not.toBe(created.appId);

    const byId = await graph.api(`/applications/${created.id}`).get();
    const byAppId = await graph.api(`/applications(appId='${created.appId}')`).get();
    const byName = await graph.api("/applications(uniqueName='ref-app-unique')").get();
    expect([byAppId.id, byName.id]).toEqual([byId.id, byId.id]);

    const owners = await graph.api(`/applications/${created.id}/owners`).get();
    expect(owners.value).toEqual([
      expect.objectContaining({ "@odata.type": "#microsoft.graph.user", id: meganId }),
    ]);
  });

  it("upserts by uniqueName with Prefer: create-if-missing (201, then 204) and 404s without it", async () => {
    const first = await graph
      .api("/applications(uniqueName='upserted-app')")
      .header("Prefer", "create-if-missing")
      .patch({ displayName: "upserted v1" });
    expect(first).toMatchObject({ displayName: "upserted v1", uniqueName: "upserted-app" });
    const second = await graph
      .api("/applications(uniqueName='upserted-app')")
      .header("Prefer", "create-if-missing")
      .patch({ displayName: "upserted v2" });
    expect(second).toBeUndefined();
    expect((await graph.api(`/applications/${first.id}`).get()).displayName).toBe("upserted v2");

    const missing = await graphFailure(
      graph.api("/applications(uniqueName='never-made')").patch({ displayName: "x" }),
    );
    expect([missing.statusCode, missing.code]).toEqual([404, "Request_ResourceNotFound"]);
  });

  it("lists with $filter, $select, $top and follows an @odata.nextLink on the tenant's own origin", async () => {
    const t = tenant();
    const made = [];
    for (const name of ["list-alpha", "list-beta", "list-gamma"]) {
      made.push(await graph.api("/applications").post({ displayName: name }));
    }
    await graph.api(`/applications/${made[1].id}`).patch({ identifierUris: [`api://${made[1].appId}`] });

    const byAppId = await graph.api("/applications").filter(`appId eq '${made[0].appId}'`).get();
    expect(byAppId.value.map((app: { id: string }) => app.id)).toEqual([made[0].id]);
    const byName = await graph.api("/applications").filter("displayName eq 'LIST-GAMMA'").get();
    expect(byName.value.map((app: { id: string }) => app.id)).toEqual([made[2].id]);
    const byUnique = await graph.api("/applications").filter("uniqueName eq 'ref-app-unique'").get();
    expect(byUnique.value).toHaveLength(1);
    const byUri = await graph
      .api("/applications")
      .filter(`identifierUris/any(x:x eq 'api://${made[1].appId}')`)
      .get();
    expect(byUri.value.map((app: { id: string }) => app.id)).toEqual([made[1].id]);

    const page1 = await graph
      .api("/applications")
      .filter("startswith(displayName,'list-')")
      .select(["id", "displayName"])
      .top(2)
      .get();
    expect(page1["@odata.context"]).toBe(`${t.url}/v1.0/$metadata#applications(id,displayName)`);
    expect(page1.value).toEqual([
      { id: made[0].id, displayName: "list-alpha" },
      { id: made[1].id, displayName: "list-beta" },
    ]);
    expect(page1["@odata.nextLink"]).toMatch(new RegExp(`^${t.url}/v1\\.0/applications\\?`));
    const page2 = await graph.api(page1["@odata.nextLink"]).get();
    expect(page2.value).toEqual([{ id: made[2].id, displayName: "list-gamma" }]);
    expect(page2["@odata.nextLink"]).toBeUndefined();
  });

  it("PATCH answers 204 and replaces collections whole while merging complex properties", async () => {
    const app = await graph.api("/applications").post({
      displayName: "patch-app",
      web: {
        redirectUris: ["https://a.example.com/cb", "https://b.example.com/cb"],
        homePageUrl: "https://a.example.com",
      },
      tags: ["one", "two"],
    });
    const result = await graph.api(`/applications/${app.id}`).patch({
      web: { redirectUris: ["https://c.example.com/cb"] },
      tags: ["three"],
    });
    expect(result).toBeUndefined();
    const after = await graph.api(`/applications/${app.id}`).get();
    expect(after.web.redirectUris).toEqual(["https://c.example.com/cb"]);
    expect(after.web.homePageUrl).toBe("https://a.example.com");
    expect(after.tags).toEqual(["three"]);
  });

  it("adds a password (secretText only in that response) and removes it", async () => {
    const t = tenant();
    const app = await graph.api("/applications").post({ displayName: "secret-app" });
    const credential = await graph
      .api(`/applications/${app.id}/addPassword`)
      .post({ passwordCredential: { displayName: "ci secret" } });
    expect(
      Object.keys(credential)
        .filter((key) => !key.startsWith("@"))
        .sort(),
    ).toEqual(
      [
        "customKeyIdentifier",
        "displayName",
        "endDateTime",
        "hint",
        "keyId",
        "secretText",
        "startDateTime",
      ].sort(),
    );
    expect(credential.secretText).toMatch(/^.{3}8Q~/);
    expect(credential.hint).toBe(credential.secretText.slice(0, 3));
    const lifetimeDays =
      (Date.parse(credential.endDateTime) - Date.parse(credential.startDateTime)) / 86_400_000;
    expect(Math.round(lifetimeDays)).toBe(730);

    const raw = JSON.stringify(await graph.api(`/applications/${app.id}`).get());
    expect(raw).not.toContain(credential.secretText);
    expect(JSON.parse(raw).passwordCredentials).toEqual([
      expect.objectContaining({ keyId: credential.keyId, displayName: "ci secret", secretText: null }),
    ]);
    expect(JSON.stringify(t.store.state)).not.toContain(credential.secretText);

    expect(
      await graph.api(`/applications/${app.id}/removePassword`).post({ keyId: credential.keyId }),
    ).toBeUndefined();
    expect((await graph.api(`/applications/${app.id}`).get()).passwordCredentials).toEqual([]);
  });

  it("manages federated identity credentials by id and by name", async () => {
    const app = await graph.api("/applications").post({ displayName: "fic-app" });
    const base = `/applications/${app.id}/federatedIdentityCredentials`;
    const created = await graph.api(base).post({
      name: "github-main",
      issuer: GITHUB_ACTIONS_ISSUER,
      subject: "repo:contoso/app:ref:refs/heads/main",
      audiences: [FEDERATED_TOKEN_AUDIENCE],
      description: "main branch",
    });
    expect(created).toMatchObject({
      name: "github-main",
      issuer: GITHUB_ACTIONS_ISSUER,
      audiences: [FEDERATED_TOKEN_AUDIENCE],
    });
    expect((await graph.api(base).get()).value).toHaveLength(1);
    expect((await graph.api(`${base}/${created.id}`).get()).name).toBe("github-main");
    expect((await graph.api(`${base}(name='github-main')`).get()).id).toBe(created.id);
    await graph.api(`${base}/${created.id}`).patch({ subject: "repo:contoso/app:environment:prod" });
    expect((await graph.api(`${base}/github-main`).get()).subject).toBe("repo:contoso/app:environment:prod");
    await graph.api(`${base}/${created.id}`).delete();
    expect((await graph.api(base).get()).value).toEqual([]);
  });

  it("creates service principals and finds them by id, (appId='…') and $filter", async () => {
    const app = await graph.api("/applications").post({ displayName: "sp-app" });
    const sp = await graph.api("/servicePrincipals").post({ appId: app.appId });
    expect(sp).toMatchObject({
      appId: app.appId,
      displayName: "sp-app",
      servicePrincipalType: "Application",
    });
    expect(sp.id).not.toBe(app.id);
    expect((await graph.api(`/servicePrincipals(appId='${app.appId}')`).get()).id).toBe(sp.id);
    const filtered = await graph.api("/servicePrincipals").filter(`appId eq '${app.appId}'`).get();
    expect(filtered.value.map((item: { id: string }) => item.id)).toEqual([sp.id]);

    const msGraph = await graph.api(`/servicePrincipals(appId='${MICROSOFT_GRAPH_APP_ID}')`).get();
    expect(msGraph.oauth2PermissionScopes).toContainEqual(
      expect.objectContaining({ value: "User.Read", id: "e1fe6dd8-ba31-4d61-89e7-88639da4683d" }),
    );
    expect(msGraph.appRoles).toContainEqual(
      expect.objectContaining({ value: "User.Read.All", id: "df021288-bdef-4463-88db-98f22de89214" }),
    );

    expect(await graph.api(`/servicePrincipals/${sp.id}`).delete()).toBeUndefined();
    const gone = await graphFailure(graph.api(`/servicePrincipals/${sp.id}`).get());
    expect(gone.statusCode).toBe(404);
  });

  it("creates, lists, changes and deletes an admin-consent oauth2PermissionGrant", async () => {
    const app = await graph.api("/applications").post({ displayName: "grant-client" });
    const client = await graph.api("/servicePrincipals").post({ appId: app.appId });
    const msGraph = await graph.api(`/servicePrincipals(appId='${MICROSOFT_GRAPH_APP_ID}')`).get();
    const grant = await graph.api("/oauth2PermissionGrants").post({
      clientId: client.id,
      consentType: "AllPrincipals",
      resourceId: msGraph.id,
      scope: "User.Read",
    });
    expect(grant).toMatchObject({
      clientId: client.id,
      consentType: "AllPrincipals",
      principalId: null,
      scope: "User.Read",
    });
    const listed = await graph
      .api("/oauth2PermissionGrants")
      .filter(`clientId eq '${client.id}' and resourceId eq '${msGraph.id}'`)
      .get();
    expect(listed.value.map((item: { id: string }) => item.id)).toEqual([grant.id]);
    await graph.api(`/oauth2PermissionGrants/${grant.id}`).patch({ scope: "User.Read openid profile" });
    expect((await graph.api(`/oauth2PermissionGrants/${grant.id}`).get()).scope).toBe(
      "User.Read openid profile",
    );
    await graph.api(`/oauth2PermissionGrants/${grant.id}`).delete();
    expect(
      (await graph.api("/oauth2PermissionGrants").filter(`clientId eq '${client.id}'`).get()).value,
    ).toEqual([]);
  });

  it("grants an application permission with appRoleAssignedTo, and it shows in tokens and both lists", async () => {
    const t = tenant();
    const app = await graph.api("/applications").post({ displayName: "role-client" });
    const client = await graph.api("/servicePrincipals").post({ appId: app.appId });
    const secret = (await graph.api(`/applications/${app.id}/addPassword`).post({})).secretText;
    const msGraph = await graph.api(`/servicePrincipals(appId='${MICROSOFT_GRAPH_APP_ID}')`).get();
    // The role's id as Microsoft Graph publishes it in every tenant (reference/graph-app-registration.md).
    const userReadAll = msGraph.appRoles.find((role: { value: string }) => role.value === "User.Read.All").id;
    expect(userReadAll).toBe("df021288-bdef-4463-88db-98f22de89214");
    const assignment = await graph
      .api(`/servicePrincipals/${msGraph.id}/appRoleAssignedTo`)
      .post({ principalId: client.id, resourceId: msGraph.id, appRoleId: userReadAll });
    expect(assignment).toMatchObject({
      principalId: client.id,
      principalType: "ServicePrincipal",
      principalDisplayName: "role-client",
      resourceId: msGraph.id,
      resourceDisplayName: "Microsoft Graph",
      appRoleId: userReadAll,
    });
    const to = await graph.api(`/servicePrincipals/${msGraph.id}/appRoleAssignedTo`).get();
    expect(to.value.map((item: { id: string }) => item.id)).toContain(assignment.id);
    const of = await graph.api(`/servicePrincipals/${client.id}/appRoleAssignments`).get();
    expect(of.value.map((item: { id: string }) => item.id)).toEqual([assignment.id]);

    const clientGraph = appOnlyGraphClient(t, { appId: app.appId, secret });
    const users = await clientGraph.api("/users").get();
    expect(users.value.length).toBeGreaterThan(0);
    const token = await t.issueToken({ clientId: app.appId, scope: "https://graph.microsoft.com/.default" });
    expect(decodeJwt(token.access_token).roles).toEqual(["User.Read.All"]);
  });

  it("deletes an application (and its service principal)", async () => {
    const app = await graph.api("/applications").post({ displayName: "doomed" });
    const sp = await graph.api("/servicePrincipals").post({ appId: app.appId });
    expect(await graph.api(`/applications/${app.id}`).delete()).toBeUndefined();
    expect((await graphFailure(graph.api(`/applications/${app.id}`).get())).statusCode).toBe(404);
    expect((await graphFailure(graph.api(`/servicePrincipals/${sp.id}`).get())).statusCode).toBe(404);
  });

  it("serves /me, /users/{id | userPrincipalName} and /organization", async () => {
    const t = tenant();
    const upn = `megan@${t.domain}`;
    const delegated = delegatedGraphClient(t, upn, ["User.Read", "User.Read.All"]);
    const me = await delegated.api("/me").get();
    expect(me).toMatchObject({
      "@odata.context": `${t.url}/v1.0/$metadata#users/$entity`,
      id: meganId,
      userPrincipalName: upn,
      displayName: "Megan Bowen",
    });
    expect((await delegated.api(`/users/${meganId}`).get()).userPrincipalName).toBe(upn);
    expect((await delegated.api(`/users/${encodeURIComponent(upn)}`).get()).id).toBe(meganId);
    const org = await delegated.api("/organization").get();
    expect(org.value).toEqual([
      expect.objectContaining({
        id: t.tenantId,
        verifiedDomains: [expect.objectContaining({ name: t.domain, isDefault: true, isInitial: true })],
      }),
    ]);
  });

  it("serves the same resources under /beta", async () => {
    const t = tenant();
    const app = await graph.api("/applications").version("beta").post({ displayName: "beta-app" });
    expect(app["@odata.context"]).toBe(`${t.url}/beta/$metadata#applications/$entity`);
    const viaV1 = await graph.api(`/applications(appId='${app.appId}')`).get();
    expect(viaV1.id).toBe(app.id);
    const sp = await graph.api("/servicePrincipals").version("beta").post({ appId: app.appId });
    expect((await graph.api(`/servicePrincipals/${sp.id}`).version("beta").get()).appId).toBe(app.appId);
  });

  it("answers errors in Graph's body shape with request ids", async () => {
    const missing = randomUUID();
    const error = await graphFailure(
      graph.api(`/applications/${missing}`).header("client-request-id", "my-correlation-id").get(),
    );
    expect(error.statusCode).toBe(404);
    const body = errorBody(error);
    expect(body).toMatchObject({
      code: "Request_ResourceNotFound",
      message: `Resource '${missing}' does not exist or one of its queried reference-property objects are not present.`,
      innerError: { "client-request-id": "my-correlation-id" },
    });
    expect(body.innerError?.["request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.innerError?.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    expect(error.requestId).toBe(body.innerError?.["request-id"]);
  });
});

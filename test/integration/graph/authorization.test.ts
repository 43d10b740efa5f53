import type { Client } from "@microsoft/microsoft-graph-client";
import { beforeAll, describe, expect, it } from "vitest";
import { trustedFetch } from "../../../src/entra/trust.js";
import { AZURE_CLI_CLIENT_ID, MICROSOFT_GRAPH_APP_ID } from "../../../src/entra/well-known.js";
import type { DevTenant } from "../../../src/tenant/index.js";
import { useDevTenant } from "../../helpers/dev-tenant.js";
import { appOnlyGraphClient, delegatedGraphClient, expectGraphError } from "../../helpers/graph.js";

const DENIED = "Insufficient privileges to complete the operation.";

async function rawGraph(t: DevTenant, token: string | undefined) {
  const response = await trustedFetch([t.caPem])(`${t.url}/v1.0/applications`, {
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as { error: { code: string; message: string } },
  };
}

describe("Graph authorization", () => {
  const tenant = useDevTenant();
  let admin: Client;

  beforeAll(async () => {
    admin = appOnlyGraphClient(tenant(), await tenant().createGraphAdminApp());
  });

  it("answers 401 InvalidAuthenticationToken without a token, for an expired token or another audience", async () => {
    const t = tenant();
    const none = await rawGraph(t, undefined);
    expect([none.status, none.body.error.code, none.body.error.message]).toEqual([
      401,
      "InvalidAuthenticationToken",
      "Access token is empty.",
    ]);
    expect(none.headers.get("www-authenticate")).toMatch(
      /^Bearer realm="", authorization_uri="https:\/\/localhost:\d+\//,
    );

    const graphToken = (claims = {}) =>
      t.issueToken({
        clientId: AZURE_CLI_CLIENT_ID,
        scope: "Application.Read.All",
        user: `adele@${t.domain}`,
        claims,
      });
    const expired = await rawGraph(t, (await graphToken({ exp: t.clock.nowSeconds() - 3600 })).access_token);
    expect([expired.status, expired.body.error.message]).toEqual([
      401,
      "Lifetime validation failed, the token is expired.",
    ]);

    const otherAudience = await rawGraph(t, (await graphToken({ aud: "api://something-else" })).access_token);
    expect([otherAudience.status, otherAudience.body.error.message]).toEqual([
      401,
      "Access token validation failure. Invalid audience.",
    ]);

    const valid = (await graphToken()).access_token;
    const tampered = `${valid.slice(0, valid.lastIndexOf(".") + 1)}${"A".repeat(20)}`;
    expect((await rawGraph(t, tampered)).status).toBe(401);
    expect((await rawGraph(t, valid)).status).toBe(200);
  });

  it("answers 403 Authorization_RequestDenied when the token lacks the permission", async () => {
    const t = tenant();
    const nothing = appOnlyGraphClient(
      t,
      await t.createGraphAdminApp({ displayName: "no roles", roles: [] }),
    );
    await expectGraphError(nothing.api("/applications").get(), 403, "Authorization_RequestDenied", DENIED);

    const reader = appOnlyGraphClient(
      t,
      await t.createGraphAdminApp({ displayName: "reader", roles: ["Application.Read.All"] }),
    );
    expect((await reader.api("/applications").get()).value.length).toBeGreaterThan(0);
    await expectGraphError(
      reader.api("/applications").post({ displayName: "x" }),
      403,
      "Authorization_RequestDenied",
      DENIED,
    );
    await expectGraphError(
      reader
        .api("/oauth2PermissionGrants")
        .post({ clientId: "x", consentType: "AllPrincipals", resourceId: "y", scope: "z" }),
      403,
      "Authorization_RequestDenied",
    );
  });

  it("lets a caller with only Application.ReadWrite.OwnedBy change only the apps it owns", async () => {
    const t = tenant();
    const credentials = await t.createGraphAdminApp({
      displayName: "owned-by",
      roles: ["Application.ReadWrite.OwnedBy"],
    });
    const ownedBy = appOnlyGraphClient(t, credentials);
    const mine = await ownedBy.api("/applications").post({ displayName: "mine" });
    const owners = await admin.api(`/applications/${mine.id}/owners`).get();
    expect(owners.value.map((owner: { id: string }) => owner.id)).toEqual([credentials.servicePrincipalId]);
    await ownedBy.api(`/applications/${mine.id}`).patch({ notes: "changed by its owner" });
    const secret = await ownedBy.api(`/applications/${mine.id}/addPassword`).post({});
    expect(secret.secretText).toBeTruthy();
    await ownedBy.api("/servicePrincipals").post({ appId: mine.appId });

    const theirs = await admin.api("/applications").post({ displayName: "theirs" });
    await expectGraphError(
      ownedBy.api(`/applications/${theirs.id}`).patch({ notes: "x" }),
      403,
      "Authorization_RequestDenied",
    );
    await expectGraphError(
      ownedBy.api(`/applications/${theirs.id}/addPassword`).post({}),
      403,
      "Authorization_RequestDenied",
    );
    await expectGraphError(
      ownedBy.api(`/applications/${theirs.id}`).delete(),
      403,
      "Authorization_RequestDenied",
    );
    const listed = await ownedBy.api("/applications").get();
    expect(listed.value.map((app: { id: string }) => app.id)).toEqual([mine.id]);
    // Microsoft's own principals stay readable, e.g. to look up Graph's permission ids.
    expect((await ownedBy.api(`/servicePrincipals(appId='${MICROSOFT_GRAPH_APP_ID}')`).get()).appId).toBe(
      MICROSOFT_GRAPH_APP_ID,
    );
  });

  it("limits a delegated user without an admin role to the apps they own", async () => {
    const t = tenant();
    const alex = delegatedGraphClient(t, `alex@${t.domain}`, [
      "Application.ReadWrite.All",
      "DelegatedPermissionGrant.ReadWrite.All",
    ]);
    const adele = delegatedGraphClient(t, `adele@${t.domain}`, ["Application.ReadWrite.All"]);
    const alexApp = await alex.api("/applications").post({ displayName: "alex's app" });
    const alexId = t.store.state.users.find((user) => user.userPrincipalName.startsWith("alex@"))!.id;
    expect(
      (await alex.api(`/applications/${alexApp.id}/owners`).get()).value.map((o: { id: string }) => o.id),
    ).toEqual([alexId]);
    await alex.api(`/applications/${alexApp.id}`).patch({ notes: "mine" });

    const adeleApp = await adele.api("/applications").post({ displayName: "adele's app" });
    await expectGraphError(
      alex.api(`/applications/${adeleApp.id}`).patch({ notes: "x" }),
      403,
      "Authorization_RequestDenied",
    );
    // An administrator manages every app.
    await adele.api(`/applications/${alexApp.id}`).patch({ notes: "reviewed by an admin" });

    const sp = await alex.api("/servicePrincipals").post({ appId: alexApp.appId });
    const msGraph = await alex.api(`/servicePrincipals(appId='${MICROSOFT_GRAPH_APP_ID}')`).get();
    await expectGraphError(
      alex.api("/oauth2PermissionGrants").post({
        clientId: sp.id,
        consentType: "AllPrincipals",
        resourceId: msGraph.id,
        scope: "User.Read",
      }),
      403,
      "Authorization_RequestDenied",
    );
  });

  it("serves /me only to delegated callers, and other users only with a directory permission", async () => {
    const t = tenant();
    await expectGraphError(
      admin.api("/me").get(),
      400,
      "BadRequest",
      "/me request is only valid with delegated authentication flow.",
    );
    const megan = delegatedGraphClient(t, `megan@${t.domain}`, ["User.Read"]);
    const me = await megan.api("/me").get();
    expect(me.userPrincipalName).toBe(`megan@${t.domain}`);
    expect((await megan.api(`/users/${me.id}`).get()).id).toBe(me.id);
    await expectGraphError(megan.api(`/users/adele@${t.domain}`).get(), 403, "Authorization_RequestDenied");
    await expectGraphError(megan.api("/applications").get(), 403, "Authorization_RequestDenied");
  });
});

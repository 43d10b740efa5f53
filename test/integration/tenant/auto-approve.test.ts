import { PublicClientApplication } from "@azure/msal-node";
import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { msalConfiguration } from "../../../src/entra/msal-config.js";
import { trustedFetch } from "../../../src/entra/trust.js";
import type { DevTenant } from "../../../src/tenant/index.js";
import { useDevTenant } from "../../helpers/dev-tenant.js";
import {
  aadstsCode,
  addApi,
  addClient,
  authorizeUrl,
  getRaw,
  pkce,
  postForm,
  testUser,
} from "../../helpers/sign-in-fixtures.js";

async function setAutoApprove(t: DevTenant, user: string | null) {
  const response = await trustedFetch([t.caPem])(`${t.url}/_admin/settings`, {
    method: "PATCH",
    headers: { authorization: `Bearer ${t.adminToken}`, "content-type": "application/json" },
    body: JSON.stringify({ autoApprove: user }),
  });
  expect(response.status).toBe(200);
}

describe("auto-approve mode", () => {
  const tenant = useDevTenant({ deviceCodeIntervalSeconds: 1 });

  it("signs the configured user in and consents at once: /authorize redirects without a page", async () => {
    const t = tenant();
    const api = await addApi(t);
    const client = await addClient(t, { publicClient: ["http://localhost"] });
    const params = {
      client_id: client.app.appId,
      redirect_uri: "http://localhost:3000",
      scope: `${api.scope} openid`,
    };
    // Off by default: the sign-in page.
    expect((await getRaw(t, authorizeUrl(t, params))).status).toBe(200);

    await setAutoApprove(t, testUser(t, "alex").userPrincipalName);
    const challenge = pkce();
    const response = await getRaw(
      t,
      authorizeUrl(t, {
        ...params,
        state: "auto",
        code_challenge: challenge.challenge,
        code_challenge_method: "S256",
      }),
    );
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get("location")!);
    expect(location.origin + location.pathname).toBe("http://localhost:3000/");
    expect(location.searchParams.get("state")).toBe("auto");
    const tokens = await postForm(t, t.urls.token, {
      grant_type: "authorization_code",
      client_id: client.app.appId,
      code: location.searchParams.get("code")!,
      redirect_uri: "http://localhost:3000",
      code_verifier: challenge.verifier,
    });
    expect(tokens.status).toBe(200);
    expect(decodeJwt(String(tokens.body.access_token))).toMatchObject({
      oid: testUser(t, "alex").id,
      scp: "access_as_user",
    });
    // The consent is remembered like a real one: a Principal grant on a new service principal.
    const clientSp = t.store.state.servicePrincipals.find((sp) => sp.appId === client.app.appId);
    expect(
      t.store.state.oauth2PermissionGrants.find((grant) => grant.clientId === clientSp?.id)?.principalId,
    ).toBe(testUser(t, "alex").id);

    // A login_hint naming an existing user signs that user in instead; an unknown one is ignored.
    const hinted = await getRaw(
      t,
      authorizeUrl(t, { ...params, login_hint: testUser(t, "megan").userPrincipalName }),
    );
    const hintedCode = new URL(hinted.headers.get("location")!).searchParams.get("code")!;
    const megan = await postForm(t, t.urls.token, {
      grant_type: "authorization_code",
      client_id: client.app.appId,
      code: hintedCode,
      redirect_uri: "http://localhost:3000",
    });
    expect(decodeJwt(String(megan.body.id_token)).oid).toBe(testUser(t, "megan").id);
    const unknown = await getRaw(t, authorizeUrl(t, { ...params, login_hint: "nobody@example.com" }));
    expect(unknown.status).toBe(302);

    // What a real user could not consent to still fails: admin-only scopes for a non-admin.
    const admin = await getRaw(t, authorizeUrl(t, { ...params, scope: api.adminScope, state: "adm" }));
    const denied = new URL(admin.headers.get("location")!).searchParams;
    expect(denied.get("error")).toBe("access_denied");
    expect(denied.get("error_description")).toMatch(/^AADSTS90094:/);
    expect(denied.get("state")).toBe("adm");
    await setAutoApprove(t, null);
  });

  it("approves device codes at once: msal's first poll gets the tokens", async () => {
    const t = tenant();
    const api = await addApi(t);
    const client = await addClient(t, { publicFlows: true });
    await setAutoApprove(t, testUser(t, "adele").userPrincipalName);
    const started = await postForm(t, t.urls.deviceCode, { client_id: client.app.appId, scope: api.scope });
    const polled = await postForm(t, t.urls.token, {
      grant_type: "device_code",
      client_id: client.app.appId,
      device_code: String(started.body.device_code),
    });
    expect(polled.status).toBe(200);

    const pca = new PublicClientApplication(
      msalConfiguration({ authority: t.urls.authority, caPems: [t.caPem] }, { clientId: client.app.appId }),
    );
    const startedAt = Date.now();
    const result = await pca.acquireTokenByDeviceCode({ scopes: [api.scope], deviceCodeCallback: () => {} });
    expect(Date.now() - startedAt).toBeLessThan(900);
    expect(result?.account?.username).toBe(testUser(t, "adele").userPrincipalName);

    // A device code the auto-approved user may not consent to fails on the first poll.
    await setAutoApprove(t, testUser(t, "alex").userPrincipalName);
    const admin = await postForm(t, t.urls.deviceCode, {
      client_id: client.app.appId,
      scope: api.adminScope,
    });
    const refused = await postForm(t, t.urls.token, {
      grant_type: "device_code",
      client_id: client.app.appId,
      device_code: String(admin.body.device_code),
    });
    expect(aadstsCode(refused.body)).toBe(90094);
    await setAutoApprove(t, null);
  });
});

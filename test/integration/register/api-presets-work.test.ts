import { ConfidentialClientApplication, CryptoProvider, PublicClientApplication } from "@azure/msal-node";
import { decodeJwt } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { createGraphClient } from "../../../src/entra/graph-client.js";
import { msalConfiguration } from "../../../src/entra/msal-config.js";
import { VSCODE_CLIENT_ID } from "../../../src/entra/well-known.js";
import type { DevTenant } from "../../../src/tenant/index.js";
import { tempDir, useDevTenant } from "../../helpers/dev-tenant.js";
import { appOnlyGraphClient } from "../../helpers/graph.js";
import { confidentialClient } from "../../helpers/msal-clients.js";
import { assertNoDuplicates, projectFiles, registerWith } from "../../helpers/registration.js";
import { seedApp } from "../../helpers/seed-apps.js";
import { SignInDriver } from "../../helpers/sign-in-driver.js";
import { testUser } from "../../helpers/sign-in-fixtures.js";
import { verifyTenantToken } from "../../helpers/verify-token.js";

const GRAPH_USER_READ = "https://graph.microsoft.com/User.Read";

/** A public client signing a user in through /authorize on a loopback port, as VS Code does. */
async function loopbackSignIn(t: DevTenant, clientId: string, scopes: string[], driver: SignInDriver) {
  const pca = new PublicClientApplication(
    msalConfiguration({ authority: t.urls.authority, caPems: [t.caPem] }, { clientId }),
  );
  const redirectUri = "http://127.0.0.1:33418";
  const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
  const url = await pca.getAuthCodeUrl({
    scopes,
    redirectUri,
    codeChallenge: challenge,
    codeChallengeMethod: "S256",
  });
  const outcome = await driver.authorize(url, { deliver: false });
  if (outcome.kind !== "redirect") return { outcome, pca };
  const result = await pca.acquireTokenByCode({
    code: outcome.params.code!,
    scopes,
    redirectUri,
    codeVerifier: verifier,
  });
  return { outcome, pca, result };
}

describe("register --preset remote produces an API that MCP clients can use", () => {
  const tenant = useDevTenant();
  let home: string;
  let dir: string;
  let appId: string;
  let scope: string;
  let vscodeToken: string;
  const register = registerWith(tenant, () => home);

  beforeAll(async () => {
    home = await tempDir();
    dir = await tempDir("mcp-entra-project-");
    const { result } = await register(dir, { preset: "remote" });
    appId = result.outcome.app.appId;
    scope = `api://${appId}/user_impersonation`;
    assertNoDuplicates(tenant().store.state);
  });

  it("VS Code's client id gets a token for the API through /authorize without a consent page; it carries the scope", async () => {
    const t = tenant();
    const alex = testUser(t, "alex");
    const driver = new SignInDriver({ caPem: t.caPem, user: alex.userPrincipalName });
    const { outcome, result } = await loopbackSignIn(t, VSCODE_CLIENT_ID, [scope], driver);
    if (outcome.kind !== "redirect") throw new Error(`VS Code's sign-in stopped at ${outcome.step}`);
    expect(outcome.steps).toEqual(["sign-in"]);
    const { payload } = await verifyTenantToken(t, result!.accessToken, {
      issuer: t.urls.issuer,
      audience: appId,
    });
    expect(payload).toMatchObject({
      azp: VSCODE_CLIENT_ID,
      scp: "user_impersonation",
      ver: "2.0",
      oid: alex.id,
    });
    expect(payload.roles).toBeUndefined();
    vscodeToken = result!.accessToken;
  });

  it("after an app role is assigned to the user, the user's next token carries it", async () => {
    const t = tenant();
    const alex = testUser(t, "alex");
    const graph = appOnlyGraphClient(t, await t.createGraphAdminApp());
    const sp = (await graph.api(`/servicePrincipals(appId='${appId}')`).get()) as {
      id: string;
      appRoles: { id: string; value: string }[];
    };
    const role = sp.appRoles.find((candidate) => candidate.value === "Tools.Read")!;
    await graph
      .api(`/servicePrincipals/${sp.id}/appRoleAssignedTo`)
      .post({ principalId: alex.id, resourceId: sp.id, appRoleId: role.id });

    const driver = new SignInDriver({ caPem: t.caPem, user: alex.userPrincipalName });
    const { outcome, result } = await loopbackSignIn(t, VSCODE_CLIENT_ID, [scope], driver);
    expect(outcome.kind === "redirect" && outcome.steps).toEqual(["sign-in"]);
    expect(decodeJwt(result!.accessToken)).toMatchObject({
      scp: "user_impersonation",
      roles: ["Tools.Read"],
    });
  });

  it("a client that is not pre-authorized is shown the consent page", async () => {
    const t = tenant();
    const other = await seedApp(t, {
      displayName: "some other MCP client",
      identifierUri: false,
      publicClient: { redirectUris: ["http://127.0.0.1"] },
    });
    const driver = new SignInDriver({ caPem: t.caPem, user: testUser(t, "megan").userPrincipalName });
    const { outcome, result } = await loopbackSignIn(t, other.appId, [scope], driver);
    expect(outcome.steps).toEqual(["sign-in", "consent"]);
    expect(decodeJwt(result!.accessToken)).toMatchObject({ azp: other.appId, scp: "user_impersonation" });
  });

  it("the API's on-behalf-of call to Graph User.Read works with the secret in .env, thanks to register's admin consent", async () => {
    const t = tenant();
    const { env } = await projectFiles(dir);
    expect(env.ENTRA_CLIENT_ID).toBe(appId);
    const { msal } = confidentialClient(t, { clientId: appId, clientSecret: env.ENTRA_CLIENT_SECRET! });
    const result = await msal.acquireTokenOnBehalfOf({
      oboAssertion: vscodeToken,
      scopes: [GRAPH_USER_READ],
    });
    expect(decodeJwt(result!.accessToken)).toMatchObject({ appid: appId, scp: "User.Read" });
    const me = await createGraphClient({ baseUrl: t.url, caPems: [t.caPem] }, async () => result!.accessToken)
      .api("/me")
      .get();
    expect(me.userPrincipalName).toBe(testUser(t, "alex").userPrincipalName);
  });
});

describe("register --preset proxy", () => {
  const tenant = useDevTenant();
  let home: string;
  const register = registerWith(tenant, () => home);

  beforeAll(async () => {
    home = await tempDir();
  });

  it("registers {server origin}/oauth/callback as a web redirect URI; the auth code flow with the client secret works", async () => {
    const t = tenant();
    const dir = await tempDir("mcp-entra-project-");
    const serverUrl = `https://mcp.${t.domain}/mcp`;
    const { result } = await register(dir, { preset: "proxy", serverUrl });
    const app = t.store.state.applications.find((candidate) => candidate.appId === result.outcome.app.appId)!;
    const callback = `https://mcp.${t.domain}/oauth/callback`;
    expect(app.web.redirectUris).toEqual([callback]);
    // An https server URL on a verified domain is the Application ID URI itself.
    expect(app.identifierUris).toEqual([serverUrl]);

    const { env } = await projectFiles(dir);
    const cca = new ConfidentialClientApplication(
      msalConfiguration(
        { authority: t.urls.authority, caPems: [t.caPem] },
        { clientId: app.appId, clientSecret: env.ENTRA_CLIENT_SECRET! },
      ),
    );
    const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
    const url = await cca.getAuthCodeUrl({
      scopes: ["User.Read"],
      redirectUri: callback,
      codeChallenge: challenge,
      codeChallengeMethod: "S256",
    });
    const driver = new SignInDriver({ caPem: t.caPem, user: testUser(t, "alex").userPrincipalName });
    const outcome = await driver.authorize(url, { deliver: false });
    if (outcome.kind !== "redirect") throw new Error(`stopped at ${outcome.step}`);
    // Admin consent to User.Read (granted by register) spares the user the consent page.
    expect(outcome.steps).toEqual(["sign-in"]);
    expect(outcome.redirectUri).toBe(callback);
    const token = await cca.acquireTokenByCode({
      code: outcome.params.code!,
      scopes: ["User.Read"],
      redirectUri: callback,
      codeVerifier: verifier,
    });
    expect(decodeJwt(token.accessToken)).toMatchObject({ appid: app.appId, appidacr: "1", scp: "User.Read" });
    assertNoDuplicates(t.store.state);
  });
});

import { ConfidentialClientApplication, PublicClientApplication } from "@azure/msal-node";
import { decodeJwt } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { msalConfiguration } from "../../../src/entra/msal-config.js";
import { GITHUB_ACTIONS_ISSUER, MICROSOFT_GRAPH_APP_ID } from "../../../src/entra/well-known.js";
import type { DevTenant } from "../../../src/tenant/index.js";
import { tempDir, useDevTenant } from "../../helpers/dev-tenant.js";
import { expectMsalEntraError } from "../../helpers/entra-error.js";
import { confidentialClient } from "../../helpers/msal-clients.js";
import { assertNoDuplicates, projectFiles, registerWith } from "../../helpers/registration.js";
import { SignInDriver, type SignInOutcome } from "../../helpers/sign-in-driver.js";
import { testUser } from "../../helpers/sign-in-fixtures.js";
import { verifyTenantToken } from "../../helpers/verify-token.js";

describe("register --preset local", () => {
  const tenant = useDevTenant();
  let home: string;
  const register = registerWith(tenant, () => home);

  beforeAll(async () => {
    home = await tempDir();
  });

  it("makes a public client that gets a Graph User.Read token through the device code flow", async () => {
    const t = tenant();
    const dir = await tempDir("mcp-entra-project-");
    const { result } = await register(dir, { preset: "local" });
    const app = t.store.state.applications.find((candidate) => candidate.appId === result.outcome.app.appId)!;
    expect(app.publicClient.redirectUris).toEqual(["http://localhost"]);
    expect(app.isFallbackPublicClient).toBe(true);
    expect(app.passwordCredentials).toEqual([]);
    expect(app.identifierUris).toEqual([]);
    const { env } = await projectFiles(dir);
    expect(env.ENTRA_CLIENT_ID).toBe(app.appId);
    expect(env.ENTRA_CLIENT_SECRET).toBeUndefined();

    const pca = new PublicClientApplication(
      msalConfiguration(
        { authority: t.urls.authority, caPems: [t.caPem] },
        { clientId: env.ENTRA_CLIENT_ID! },
      ),
    );
    const alex = testUser(t, "alex");
    const driver = new SignInDriver({ caPem: t.caPem, user: alex.userPrincipalName });
    let approval: Promise<SignInOutcome> | undefined;
    const token = await pca.acquireTokenByDeviceCode({
      scopes: ["User.Read"],
      deviceCodeCallback: (response) => {
        approval = driver.approveDeviceCode(response.verificationUri, response.userCode);
      },
    });
    const approved = await approval!;
    expect(approved.kind === "page" && approved.step).toBe("device-done");
    // Admin consent (granted by register) spared the user the consent page.
    expect(approved.steps).not.toContain("consent");
    const { payload } = await verifyTenantToken(t, token!.accessToken, {
      audience: "https://graph.microsoft.com",
    });
    expect(payload).toMatchObject({ appid: app.appId, appidacr: "0", scp: "User.Read", oid: alex.id });
    assertNoDuplicates(t.store.state);
  });
});

describe("register --preset ci", () => {
  const tenant = useDevTenant();
  let home: string;
  let dir: string;
  let apiAppId: string;
  const register = registerWith(tenant, () => home);

  beforeAll(async () => {
    home = await tempDir();
    dir = await tempDir("mcp-entra-project-");
    apiAppId = (await register(dir, { preset: "remote" })).result.outcome.app.appId;
  });

  function federatedClient(t: DevTenant, clientId: string, assertion: string) {
    const { msal, responses } = confidentialClient(t, { clientId, clientAssertion: assertion });
    return {
      call: msal.acquireTokenByClientCredential({ scopes: [`api://${apiAppId}/.default`] }),
      responses,
    };
  }

  it("--github-repo/--github-ref after remote: a GitHub Actions token of that branch gets an app-only token with roles; another branch fails with AADSTS700213", async () => {
    const t = tenant();
    const { result } = await register(dir, {
      preset: "ci",
      githubRepo: "o/r",
      githubRef: "refs/heads/main",
    });
    const ci = result.outcome.app;
    expect(result.outcome.app.passwordCredentials).toEqual([]);
    expect(t.store.state.federatedIdentityCredentials[ci.id]).toEqual([
      expect.objectContaining({ issuer: GITHUB_ACTIONS_ISSUER, subject: "repo:o/r:ref:refs/heads/main" }),
    ]);
    const { config, env } = await projectFiles(dir);
    expect(config.apps.ci).toMatchObject({ appId: ci.appId, apiAppId });
    expect(env.MCP_CLIENT_ID).toBe(ci.appId);

    const main = await t.githubActionsToken({ repository: "o/r", ref: "refs/heads/main" });
    const token = await federatedClient(t, ci.appId, main).call;
    const { payload } = await verifyTenantToken(t, token!.accessToken, { audience: apiAppId });
    expect(payload).toMatchObject({ azp: ci.appId, azpacr: "2", idtyp: "app" });
    expect(payload.roles).toContain("Tools.Read");

    const other = federatedClient(
      t,
      ci.appId,
      await t.githubActionsToken({ repository: "o/r", ref: "refs/heads/dev" }),
    );
    await expectMsalEntraError(other.call, other.responses, 700213);
    assertNoDuplicates(t.store.state);
  });

  it("--credential secret: the secret register wrote to .env gets an app-only token with roles", async () => {
    const t = tenant();
    const secretDir = await tempDir("mcp-entra-project-");
    const { result } = await register(secretDir, {
      preset: "ci",
      credential: "secret",
      api: apiAppId,
      ciRole: ["Tools.Admin"],
    });
    const { env, configText } = await projectFiles(secretDir);
    expect(env.MCP_CLIENT_SECRET).toBeTruthy();
    expect(configText).not.toContain(env.MCP_CLIENT_SECRET!);
    const cca = new ConfidentialClientApplication(
      msalConfiguration(
        { authority: t.urls.authority, caPems: [t.caPem] },
        { clientId: env.MCP_CLIENT_ID!, clientSecret: env.MCP_CLIENT_SECRET! },
      ),
    );
    const token = await cca.acquireTokenByClientCredential({ scopes: [`api://${apiAppId}/.default`] });
    expect(decodeJwt(token!.accessToken)).toMatchObject({
      azp: result.outcome.app.appId,
      azpacr: "1",
      roles: ["Tools.Admin"],
    });
    // The ci preset asks for no Graph permission, so nothing was consented to Graph for it.
    const graphSp = t.store.state.servicePrincipals.find((sp) => sp.appId === MICROSOFT_GRAPH_APP_ID)!;
    expect(
      t.store.state.oauth2PermissionGrants.filter(
        (grant) => grant.clientId === result.outcome.servicePrincipal.id && grant.resourceId === graphSp.id,
      ),
    ).toEqual([]);
    assertNoDuplicates(t.store.state);
  });
});

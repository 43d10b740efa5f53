import { randomUUID } from "node:crypto";
import { ConfidentialClientApplication } from "@azure/msal-node";
import type { Client } from "@microsoft/microsoft-graph-client";
import { decodeJwt } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { msalConfiguration } from "../../../src/entra/msal-config.js";
import {
  AZURE_CLI_CLIENT_ID,
  FEDERATED_TOKEN_AUDIENCE,
  GITHUB_ACTIONS_ISSUER,
  VSCODE_CLIENT_ID,
} from "../../../src/entra/well-known.js";
import { clientByAppId } from "../../../src/tenant/directory/lookups.js";
import { resolveScopes } from "../../../src/tenant/directory/scopes.js";
import type { DevTenant } from "../../../src/tenant/index.js";
import { consentStatus } from "../../../src/tenant/sign-in/consent-status.js";
import { useDevTenant } from "../../helpers/dev-tenant.js";
import { appOnlyGraphClient } from "../../helpers/graph.js";

const SCOPE_ID = randomUUID();
const ROLE_ID = randomUUID();
const SUBJECT = "repo:contoso/mcp-server:ref:refs/heads/main";

function msalClient(
  t: DevTenant,
  clientId: string,
  credential: { clientSecret?: string; clientAssertion?: string },
) {
  return new ConfidentialClientApplication(
    msalConfiguration({ authority: t.urls.authority, caPems: [t.caPem] }, { clientId, ...credential }),
  );
}

/** A GitHub Actions OIDC token, signed with the dev tenant's keys (it trusts them for GitHub's issuer). */
function githubToken(t: DevTenant, subject: string): Promise<string> {
  const now = t.clock.nowSeconds();
  return t.ctx.keys.sign({
    iss: GITHUB_ACTIONS_ISSUER,
    sub: subject,
    aud: FEDERATED_TOKEN_AUDIENCE,
    iat: now,
    nbf: now,
    exp: now + 300,
    jti: randomUUID(),
  });
}

describe("an MCP server app registered only through Graph", () => {
  const tenant = useDevTenant();
  let graph: Client;
  let app: { id: string; appId: string };
  let sp: { id: string };
  let secret: string;

  beforeAll(async () => {
    const t = tenant();
    graph = appOnlyGraphClient(t, await t.createGraphAdminApp());

    app = await graph
      .api("/applications")
      .post({ displayName: "weather-mcp", signInAudience: "AzureADMyOrg" });
    await graph.api(`/applications/${app.id}`).patch({
      identifierUris: [`api://${app.appId}`],
      api: {
        requestedAccessTokenVersion: 2,
        oauth2PermissionScopes: [
          {
            id: SCOPE_ID,
            value: "access_as_user",
            type: "User",
            isEnabled: true,
            adminConsentDisplayName: "Access weather-mcp",
            adminConsentDescription: "Access weather-mcp as the signed-in user",
            userConsentDisplayName: "Access weather-mcp",
            userConsentDescription: "Access weather-mcp as you",
          },
        ],
      },
      appRoles: [
        {
          id: ROLE_ID,
          value: "Tools.Call",
          displayName: "Call tools",
          description: "Call the server's tools as an application",
          allowedMemberTypes: ["Application"],
          isEnabled: true,
        },
      ],
    });
    secret = (
      await graph
        .api(`/applications/${app.id}/addPassword`)
        .post({ passwordCredential: { displayName: "ci" } })
    ).secretText;
    sp = await graph.api("/servicePrincipals").post({ appId: app.appId });
    // Scopes must exist before a client is pre-authorized for them: a second request.
    await graph.api(`/applications/${app.id}`).patch({
      api: { preAuthorizedApplications: [{ appId: VSCODE_CLIENT_ID, delegatedPermissionIds: [SCOPE_ID] }] },
    });
    await graph.api(`/applications/${app.id}/federatedIdentityCredentials`).post({
      name: "github-main",
      issuer: GITHUB_ACTIONS_ISSUER,
      subject: SUBJECT,
      audiences: [FEDERATED_TOKEN_AUDIENCE],
      description: "deploys from main",
    });
    const cli = await graph.api(`/servicePrincipals(appId='${AZURE_CLI_CLIENT_ID}')`).get();
    await graph.api("/oauth2PermissionGrants").post({
      clientId: cli.id,
      consentType: "AllPrincipals",
      resourceId: sp.id,
      scope: "access_as_user",
    });
    // The app may call itself as an application: its own role, assigned to its own principal.
    await graph
      .api(`/servicePrincipals/${sp.id}/appRoleAssignedTo`)
      .post({ principalId: sp.id, resourceId: sp.id, appRoleId: ROLE_ID });
  });

  it("signs in with its Graph-issued secret and gets its role in the token", async () => {
    const t = tenant();
    const result = await msalClient(t, app.appId, { clientSecret: secret }).acquireTokenByClientCredential({
      scopes: [`api://${app.appId}/.default`],
    });
    const claims = decodeJwt(result!.accessToken);
    expect(claims).toMatchObject({
      aud: app.appId,
      azp: app.appId,
      ver: "2.0",
      roles: ["Tools.Call"],
      oid: sp.id,
    });
  });

  it("signs in with a GitHub Actions token through its federated credential", async () => {
    const t = tenant();
    const assertion = await githubToken(t, SUBJECT);
    const result = await msalClient(t, app.appId, {
      clientAssertion: assertion,
    }).acquireTokenByClientCredential({
      scopes: [`api://${app.appId}/.default`],
    });
    expect(decodeJwt(result!.accessToken)).toMatchObject({ roles: ["Tools.Call"], azpacr: "2" });

    const wrongBranch = await githubToken(t, "repo:contoso/mcp-server:ref:refs/heads/feature");
    await expect(
      msalClient(t, app.appId, { clientAssertion: wrongBranch }).acquireTokenByClientCredential({
        scopes: [`api://${app.appId}/.default`],
      }),
    ).rejects.toThrow(/AADSTS700213:/);
  });

  it("publishes its scope: delegated tokens carry it, pre-authorized and admin-consented clients skip consent", async () => {
    const t = tenant();
    const token = await t.issueToken({
      clientId: VSCODE_CLIENT_ID,
      scope: `api://${app.appId}/access_as_user`,
      user: `megan@${t.domain}`,
    });
    expect(decodeJwt(token.access_token)).toMatchObject({ aud: app.appId, scp: "access_as_user" });

    const state = t.store.state;
    const megan = state.users.find((user) => user.userPrincipalName.startsWith("megan@"))!;
    for (const clientId of [VSCODE_CLIENT_ID, AZURE_CLI_CLIENT_ID]) {
      const client = clientByAppId(state, clientId)!;
      const request = resolveScopes(state, `api://${app.appId}/access_as_user`, client.displayName);
      expect(consentStatus(state, client, request, megan.id)).toMatchObject({
        granted: ["access_as_user"],
        missing: [],
      });
    }
  });

  it("honours the secret's end date and its removal at once", async () => {
    const t = tenant();
    const shortLived = await graph.api(`/applications/${app.id}/addPassword`).post({
      passwordCredential: {
        displayName: "short",
        endDateTime: new Date(t.clock.now() + 10 * 60_000).toISOString(),
      },
    });
    const scopes = [`api://${app.appId}/.default`];
    await expect(
      msalClient(t, app.appId, { clientSecret: shortLived.secretText }).acquireTokenByClientCredential({
        scopes,
      }),
    ).resolves.toBeTruthy();
    t.clock.advance(11 * 60_000);
    await expect(
      msalClient(t, app.appId, { clientSecret: shortLived.secretText }).acquireTokenByClientCredential({
        scopes,
      }),
    ).rejects.toThrow(/AADSTS7000222/);

    await graph.api(`/applications/${app.id}/removePassword`).post({ keyId: shortLived.keyId });
    await expect(
      msalClient(t, app.appId, { clientSecret: shortLived.secretText }).acquireTokenByClientCredential({
        scopes,
      }),
    ).rejects.toThrow(/AADSTS7000215/);
  });

  it("can no longer sign in once deleted (AADSTS700016)", async () => {
    const t = tenant();
    await graph.api(`/applications/${app.id}`).delete();
    await expect(
      msalClient(t, app.appId, { clientSecret: secret }).acquireTokenByClientCredential({
        scopes: [`api://${app.appId}/.default`],
      }),
    ).rejects.toThrow(/AADSTS700016/);
    expect(t.store.state.servicePrincipals.some((candidate) => candidate.id === sp.id)).toBe(false);
  });
});

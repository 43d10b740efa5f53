import { randomUUID } from "node:crypto";
import type { Client } from "@microsoft/microsoft-graph-client";
import { beforeAll, describe, expect, it } from "vitest";
import {
  AZURE_CLI_CLIENT_ID,
  FEDERATED_TOKEN_AUDIENCE,
  GITHUB_ACTIONS_ISSUER,
  MICROSOFT_GRAPH_APP_ID,
  VSCODE_CLIENT_ID,
} from "../../../src/entra/well-known.js";
import { useDevTenant } from "../../helpers/dev-tenant.js";
import { appOnlyGraphClient, expectGraphError } from "../../helpers/graph.js";

function scope(value: string, extra: Record<string, unknown> = {}) {
  return {
    id: randomUUID(),
    value,
    type: "User",
    isEnabled: true,
    adminConsentDisplayName: value,
    adminConsentDescription: value,
    userConsentDisplayName: value,
    userConsentDescription: value,
    ...extra,
  };
}

function role(value: string, extra: Record<string, unknown> = {}) {
  return {
    id: randomUUID(),
    value,
    displayName: value,
    description: value,
    allowedMemberTypes: ["Application"],
    isEnabled: true,
    ...extra,
  };
}

describe("Graph's validation rules", () => {
  const tenant = useDevTenant();
  let graph: Client;
  const newApp = (body: Record<string, unknown> = {}) =>
    graph.api("/applications").post({ displayName: `app-${randomUUID().slice(0, 8)}`, ...body });

  beforeAll(async () => {
    graph = appOnlyGraphClient(tenant(), await tenant().createGraphAdminApp());
  });

  describe("identifierUris", () => {
    it("accepts api://{appId}, api://{tenantId}/{appId} and hosts on the verified domain", async () => {
      const t = tenant();
      const app = await newApp();
      for (const uris of [
        [`api://${app.appId}`],
        [`api://${t.tenantId}/${app.appId}`],
        [`api://${t.tenantId}/weather`, `api://localhost/${app.appId}`],
        [`https://${t.domain}/weather`, `https://api.${t.domain}`],
      ]) {
        await graph.api(`/applications/${app.id}`).patch({ identifierUris: uris });
        expect((await graph.api(`/applications/${app.id}`).get()).identifierUris).toEqual(uris);
      }
    });

    it("refuses other hosts, localhost as https, and api://{appId} before the appId exists", async () => {
      const app = await newApp();
      for (const uri of ["https://example.com/api", "https://localhost/api", "api://weather-mcp"]) {
        const body = await expectGraphError(
          graph.api(`/applications/${app.id}`).patch({ identifierUris: [uri] }),
          400,
          "HostNameNotOnVerifiedDomain",
          `Values of identifierUris property must use a verified domain of the organization or its subdomain: '${uri}'`,
        );
        expect(body.details).toEqual([expect.objectContaining({ target: "identifierUris" })]);
      }
      // The client cannot know the appId before the create, so api://{appId} only works in a PATCH.
      await expectGraphError(
        newApp({ identifierUris: [`api://${randomUUID()}`] }),
        400,
        "HostNameNotOnVerifiedDomain",
      );
    });

    it("lets an app that accepts v2 tokens use any identifier URI, and keeps a v1 switch-back to the patterns", async () => {
      const app = await newApp({ api: { requestedAccessTokenVersion: 2 } });
      for (const uri of ["https://mcp.example.com/api", "api://weather-mcp"]) {
        await graph.api(`/applications/${app.id}`).patch({ identifierUris: [uri] });
        expect((await graph.api(`/applications/${app.id}`).get()).identifierUris).toEqual([uri]);
      }
      await expectGraphError(
        graph.api(`/applications/${app.id}`).patch({ api: { requestedAccessTokenVersion: 1 } }),
        400,
        "HostNameNotOnVerifiedDomain",
      );
    });

    it("refuses an identifier URI another application already uses", async () => {
      const t = tenant();
      await newApp({ identifierUris: [`https://${t.domain}/shared`] });
      await expectGraphError(
        newApp({ identifierUris: [`https://${t.domain}/shared`] }),
        400,
        "Request_BadRequest",
        "Another object with the same value for property identifierUris already exists.",
      );
    });
  });

  describe("redirect URIs", () => {
    it("allows https and loopback http, refuses other http", async () => {
      const app = await newApp({
        web: { redirectUris: ["https://app.example.com/cb", "http://localhost:3000/cb"] },
        spa: { redirectUris: ["http://127.0.0.1:5173"] },
        publicClient: { redirectUris: ["http://localhost", `msal${randomUUID()}://auth`] },
      });
      expect(app.web.redirectUris).toHaveLength(2);
      await expectGraphError(
        graph.api(`/applications/${app.id}`).patch({ web: { redirectUris: ["http://app.example.com/cb"] } }),
        400,
        "Request_BadRequest",
        "Invalid value specified for property 'web' of resource 'Application'.",
      );
      await expectGraphError(
        graph.api(`/applications/${app.id}`).patch({ spa: { redirectUris: ["myapp://callback"] } }),
        400,
        "Request_BadRequest",
      );
    });

    it("requires redirect URIs to be distinct across platforms", async () => {
      await expectGraphError(
        newApp({
          web: { redirectUris: ["http://localhost:3000/cb"] },
          publicClient: { redirectUris: ["http://localhost:3000/cb"] },
        }),
        400,
        "Request_BadRequest",
        "Redirect URIs must have distinct values.",
      );
    });
  });

  describe("scopes and roles", () => {
    it("refuses scope and role values with spaces, a leading dot, over 120 characters, or twice", async () => {
      for (const value of ["has space", ".hidden", "x".repeat(121), 'quo"te']) {
        await expectGraphError(
          newApp({ api: { oauth2PermissionScopes: [scope(value)] } }),
          400,
          "Request_BadRequest",
          "Invalid value specified for property 'value' of resource 'PermissionScope'.",
        );
      }
      await expectGraphError(
        newApp({ api: { oauth2PermissionScopes: [scope("same"), scope("same")] } }),
        400,
        "Request_BadRequest",
      );
      await expectGraphError(
        newApp({ appRoles: [role("Tools Call")] }),
        400,
        "Request_BadRequest",
        "Invalid value specified for property 'value' of resource 'AppRole'.",
      );
      await expectGraphError(
        newApp({ appRoles: [role("Tools.Call", { allowedMemberTypes: [] })] }),
        400,
        "Request_BadRequest",
      );
    });

    it("refuses to change or remove an enabled scope or role until it is disabled in an earlier request", async () => {
      const readScope = scope("Tools.Read");
      const callRole = role("Tools.Call");
      const app = await newApp({ api: { oauth2PermissionScopes: [readScope] }, appRoles: [callRole] });
      const patch = (body: Record<string, unknown>) => graph.api(`/applications/${app.id}`).patch(body);
      const code = "CannotDeleteOrUpdateEnabledEntitlement";
      const message = "Permission (scope or role) cannot be deleted or updated unless disabled first.";

      await expectGraphError(patch({ api: { oauth2PermissionScopes: [] } }), 400, code, message);
      await expectGraphError(
        patch({ api: { oauth2PermissionScopes: [{ ...readScope, value: "Tools.ReadAll" }] } }),
        400,
        code,
        message,
      );
      await expectGraphError(
        patch({ appRoles: [{ ...callRole, isEnabled: false, displayName: "x" }] }),
        400,
        code,
      );
      await expectGraphError(patch({ appRoles: [] }), 400, code, message);

      await patch({
        api: { oauth2PermissionScopes: [{ ...readScope, isEnabled: false }] },
        appRoles: [{ ...callRole, isEnabled: false }],
      });
      await patch({ api: { oauth2PermissionScopes: [] }, appRoles: [] });
      const after = await graph.api(`/applications/${app.id}`).get();
      expect([after.api.oauth2PermissionScopes, after.appRoles]).toEqual([[], []]);
    });

    it("refuses to pre-authorize a scope id that does not exist (or arrives in the same request)", async () => {
      const first = scope("access_as_user");
      const app = await newApp({ api: { oauth2PermissionScopes: [first] } });
      const message =
        "Property api.preAuthorizedApplications.delegatedPermissionIds has a Permission Id that cannot be found in the AppPermissions sets.";
      const body = await expectGraphError(
        graph.api(`/applications/${app.id}`).patch({
          api: {
            preAuthorizedApplications: [{ appId: VSCODE_CLIENT_ID, delegatedPermissionIds: [randomUUID()] }],
          },
        }),
        400,
        "InvalidValue",
        message,
      );
      expect(body.details).toEqual([
        { code: "InvalidValue", target: "api.preAuthorizedApplications.delegatedPermissionIds" },
      ]);
      const second = scope("admin_tasks");
      await expectGraphError(
        graph.api(`/applications/${app.id}`).patch({
          api: {
            oauth2PermissionScopes: [first, second],
            preAuthorizedApplications: [{ appId: VSCODE_CLIENT_ID, delegatedPermissionIds: [second.id] }],
          },
        }),
        400,
        "InvalidValue",
        message,
      );
      await graph.api(`/applications/${app.id}`).patch({
        api: { preAuthorizedApplications: [{ appId: VSCODE_CLIENT_ID, delegatedPermissionIds: [first.id] }] },
      });
    });

    it("requires access token version 2 for personal Microsoft accounts", async () => {
      await expectGraphError(
        newApp({ signInAudience: "AzureADandPersonalMicrosoftAccount" }),
        400,
        "Request_BadRequest",
      );
      const app = await newApp({
        signInAudience: "AzureADandPersonalMicrosoftAccount",
        api: { requestedAccessTokenVersion: 2 },
      });
      expect(app.api.requestedAccessTokenVersion).toBe(2);
    });
  });

  describe("duplicates", () => {
    it("answers a second grant for the same client and resource with 409 'Permission entry already exists.'", async () => {
      const app = await newApp();
      const client = await graph.api("/servicePrincipals").post({ appId: app.appId });
      const msGraph = await graph.api(`/servicePrincipals(appId='${MICROSOFT_GRAPH_APP_ID}')`).get();
      const grant = {
        clientId: client.id,
        consentType: "AllPrincipals",
        resourceId: msGraph.id,
        scope: "User.Read",
      };
      await graph.api("/oauth2PermissionGrants").post(grant);
      await expectGraphError(
        graph.api("/oauth2PermissionGrants").post({ ...grant, scope: "User.Read openid" }),
        409,
        "Request_MultipleObjectsWithSameKeyValue",
        "Permission entry already exists.",
      );
    });

    it("answers a second identical app role assignment with 'Permission being assigned already exists on the object.'", async () => {
      const callRole = role("Tools.Call");
      const api = await newApp({ appRoles: [callRole] });
      const apiSp = await graph.api("/servicePrincipals").post({ appId: api.appId });
      const assignment = { principalId: apiSp.id, resourceId: apiSp.id, appRoleId: callRole.id };
      await graph.api(`/servicePrincipals/${apiSp.id}/appRoleAssignedTo`).post(assignment);
      await expectGraphError(
        graph.api(`/servicePrincipals/${apiSp.id}/appRoleAssignedTo`).post(assignment),
        400,
        "Request_BadRequest",
        "Permission being assigned already exists on the object.",
      );
      await expectGraphError(
        graph
          .api(`/servicePrincipals/${apiSp.id}/appRoleAssignedTo`)
          .post({ ...assignment, appRoleId: randomUUID() }),
        400,
        "Request_BadRequest",
        /was not found on application/,
      );
    });

    it("refuses a second service principal for the same appId", async () => {
      const app = await newApp();
      await graph.api("/servicePrincipals").post({ appId: app.appId });
      await expectGraphError(
        graph.api("/servicePrincipals").post({ appId: app.appId }),
        409,
        "Request_MultipleObjectsWithSameKeyValue",
      );
      await expectGraphError(
        graph.api("/servicePrincipals").post({ appId: AZURE_CLI_CLIENT_ID }),
        409,
        "Request_MultipleObjectsWithSameKeyValue",
      );
    });

    it("keeps uniqueName unique and immutable", async () => {
      const app = await newApp({ uniqueName: "only-once" });
      await expectGraphError(
        newApp({ uniqueName: "only-once" }),
        409,
        "Request_MultipleObjectsWithSameKeyValue",
      );
      await expectGraphError(
        graph.api(`/applications/${app.id}`).patch({ uniqueName: "renamed" }),
        400,
        "Request_BadRequest",
      );
    });
  });

  it("answers a service principal for an unknown appId with NoBackingApplicationObject", async () => {
    const appId = randomUUID();
    const body = await expectGraphError(
      graph.api("/servicePrincipals").post({ appId }),
      400,
      "Request_BadRequest",
      `The appId '${appId}' of the service principal does not reference a valid application object.`,
    );
    expect(body.details).toEqual([
      expect.objectContaining({ code: "NoBackingApplicationObject", target: "appId" }),
    ]);
  });

  describe("federated identity credentials", () => {
    const fic = (name: string, subject = `repo:contoso/app:environment:${name}`) => ({
      name,
      issuer: GITHUB_ACTIONS_ISSUER,
      subject,
      audiences: [FEDERATED_TOKEN_AUDIENCE],
    });

    it("checks the name: 3–120 URL-friendly characters starting with a letter or digit", async () => {
      const app = await newApp();
      const base = `/applications/${app.id}/federatedIdentityCredentials`;
      for (const name of ["ab", "-leading-dash", "has space", "slash/name", "x".repeat(121)]) {
        await expectGraphError(
          graph.api(base).post(fic(name, `repo:x/y:${randomUUID()}`)),
          400,
          "Request_BadRequest",
          "Invalid value specified for property 'name' of resource 'FederatedIdentityCredential'.",
        );
      }
      await expectGraphError(
        graph
          .api(base)
          .post({ ...fic("two-audiences"), audiences: [FEDERATED_TOKEN_AUDIENCE, "api://other"] }),
        400,
        "Request_BadRequest",
      );
      const created = await graph.api(base).post(fic("main_branch-1"));
      await expectGraphError(
        graph.api(`${base}/${created.id}`).patch({ name: "renamed" }),
        400,
        "Request_BadRequest",
      );
    });

    it("keeps names and issuer + subject unique, and allows at most 20 per application", async () => {
      const app = await newApp();
      const base = `/applications/${app.id}/federatedIdentityCredentials`;
      await graph.api(base).post(fic("main", "repo:contoso/app:ref:refs/heads/main"));
      await expectGraphError(
        graph.api(base).post(fic("main", "repo:contoso/app:ref:refs/heads/other")),
        409,
        "Request_MultipleObjectsWithSameKeyValue",
        "FederatedIdentityCredential with name main already exists.",
      );
      await expectGraphError(
        graph.api(base).post(fic("main-again", "repo:contoso/app:ref:refs/heads/main")),
        400,
        "InvalidFederatedIdentityCredentialValue",
        /^The combination of issuer and subject must be unique for the application\./,
      );
      for (let index = 1; index < 20; index++) await graph.api(base).post(fic(`env-${index}`));
      expect((await graph.api(base).get()).value).toHaveLength(20);
      await expectGraphError(
        graph.api(base).post(fic("env-21")),
        400,
        "Request_BadRequest",
        /maximum number/,
      );
    });
  });

  describe("bodies and queries", () => {
    it("refuses unknown properties and direct writes of passwordCredentials", async () => {
      const app = await newApp();
      await expectGraphError(
        graph.api(`/applications/${app.id}`).patch({ displayNam: "typo" }),
        400,
        "Request_BadRequest",
        "Property 'displayNam' does not exist as a declared property or extension property.",
      );
      await expectGraphError(
        graph.api(`/applications/${app.id}`).patch({ passwordCredentials: [{ displayName: "x" }] }),
        400,
        "Request_BadRequest",
      );
      await expectGraphError(
        graph.api(`/applications/${app.id}`).patch({ appId: randomUUID() }),
        400,
        "Request_BadRequest",
      );
    });

    it("refuses unsupported filters, page sizes, selects and query options", async () => {
      await expectGraphError(
        graph.api("/applications").filter("notes eq 'x'").get(),
        400,
        "Request_UnsupportedQuery",
        "Unsupported or invalid query filter clause specified for property 'notes' of resource 'application'.",
      );
      await expectGraphError(graph.api("/applications").filter("displayName eq").get(), 400, "BadRequest");
      await expectGraphError(
        graph.api("/applications").top(1000).get(),
        400,
        "Request_BadRequest",
        "Invalid page size specified: '1000'. Must be between 1 and 999 inclusive.",
      );
      await newApp();
      await expectGraphError(
        graph.api("/applications").select("nope").get(),
        400,
        "BadRequest",
        /Could not find a property named 'nope'/,
      );
      await expectGraphError(
        graph.api("/applications").orderby("displayName").get(),
        400,
        "Request_UnsupportedQuery",
      );
    });
  });
});

import { access } from "node:fs/promises";
import { join } from "node:path";
import { decodeJwt } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { readEnvFile } from "../../../src/core/env-file.js";
import { UsageError } from "../../../src/core/errors.js";
import { MICROSOFT_GRAPH_APP_ID } from "../../../src/entra/well-known.js";
import { tempDir, useDevTenant } from "../../helpers/dev-tenant.js";
import { confidentialClient } from "../../helpers/msal-clients.js";
import { registerWith } from "../../helpers/registration.js";

/**
 * Graph permissions by name: `register` resolves them against the tenant's Microsoft Graph service
 * principal (read through Graph), asks for them in requiredResourceAccess, and grants them as an
 * administrator's consent would — a grant for delegated ones, app role assignments for application ones.
 */
describe("register --graph-permission / --graph-app-permission", () => {
  const tenant = useDevTenant();
  let home: string;
  const register = registerWith(tenant, () => home);
  const graphSp = () =>
    tenant().store.state.servicePrincipals.find((sp) => sp.appId === MICROSOFT_GRAPH_APP_ID)!;
  const idOf = (list: "oauth2PermissionScopes" | "appRoles", value: string) =>
    (graphSp()[list] as { id: string; value: string | null }[]).find((entry) => entry.value === value)!.id;

  beforeAll(async () => {
    home = await tempDir();
  });

  it("requests Mail.Read (delegated) and User.Read.All (application), consents to both, and tokens show it", async () => {
    const dir = await tempDir("mcp-entra-project-");
    const { result } = await register(dir, {
      preset: "remote",
      graphPermission: ["Mail.Read", "user.read"],
      graphAppPermission: ["User.Read.All"],
    });
    const state = tenant().store.state;
    const app = state.applications.find((candidate) => candidate.appId === result.outcome.app.appId)!;
    // The real ids Microsoft Graph publishes, as the tenant's Graph service principal has them.
    expect(idOf("oauth2PermissionScopes", "Mail.Read")).toBe("570282fd-fa5c-430d-a7fd-fc8dc98a9dca");
    expect(idOf("appRoles", "User.Read.All")).toBe("df021288-bdef-4463-88db-98f22de89214");
    expect(app.requiredResourceAccess).toEqual([
      {
        resourceAppId: MICROSOFT_GRAPH_APP_ID,
        resourceAccess: [
          { id: idOf("oauth2PermissionScopes", "Mail.Read"), type: "Scope" },
          { id: idOf("oauth2PermissionScopes", "User.Read"), type: "Scope" },
          { id: idOf("appRoles", "User.Read.All"), type: "Role" },
        ],
      },
    ]);
    const sp = state.servicePrincipals.find((candidate) => candidate.appId === app.appId)!;
    expect(
      state.oauth2PermissionGrants.filter(
        (grant) => grant.clientId === sp.id && grant.resourceId === graphSp().id,
      ),
    ).toEqual([expect.objectContaining({ consentType: "AllPrincipals", scope: "Mail.Read User.Read" })]);
    expect(
      state.appRoleAssignments.filter((a) => a.principalId === sp.id).map((a) => [a.resourceId, a.appRoleId]),
    ).toEqual([[graphSp().id, idOf("appRoles", "User.Read.All")]]);
    expect(result.outcome.consent?.appRoles).toEqual([
      { resourceAppId: MICROSOFT_GRAPH_APP_ID, roles: ["User.Read.All"] },
    ]);

    // What the grant is for: the app's own app-only Graph token carries the role.
    const env = await readEnvFile(join(dir, ".env"));
    const { msal } = confidentialClient(tenant(), {
      clientId: app.appId,
      clientSecret: env.ENTRA_CLIENT_SECRET!,
    });
    const token = await msal.acquireTokenByClientCredential({
      scopes: ["https://graph.microsoft.com/.default"],
    });
    expect(decodeJwt(token!.accessToken).roles).toEqual(["User.Read.All"]);

    tenant().clearRequestLog();
    const again = await register(dir, {
      preset: "remote",
      graphPermission: ["Mail.Read", "User.Read"],
      graphAppPermission: ["User.Read.All"],
    });
    expect(again.result.graph.writes).toEqual([]);

    // Dropping the application permission removes the request and the role assignment.
    await register(dir, { preset: "remote", graphPermission: ["Mail.Read", "User.Read"] });
    const after = tenant().store.state;
    expect(
      after.applications.find((candidate) => candidate.id === app.id)!.requiredResourceAccess[0]!
        .resourceAccess,
    ).not.toContainEqual(expect.objectContaining({ type: "Role" }));
    expect(after.appRoleAssignments.filter((a) => a.principalId === sp.id)).toEqual([]);
  });

  const refusals: { name: string; flags: Record<string, unknown>; message: RegExp; suggestion: RegExp }[] = [
    {
      name: "a misspelt delegated permission, naming the nearest",
      flags: { graphPermission: ["Mail.Raed"] },
      message: /--graph-permission: Microsoft Graph has no delegated permission Mail\.Raed/,
      suggestion: /did you mean Mail\.Read\b/,
    },
    {
      name: "an unknown application permission, naming the nearest",
      flags: { graphAppPermission: ["Users.Read.All"] },
      message: /--graph-app-permission: Microsoft Graph has no application permission Users\.Read\.All/,
      suggestion: /did you mean User\.Read\.All\b/,
    },
    {
      name: "an application-only permission given as delegated",
      flags: { graphPermission: ["Application.ReadWrite.OwnedBy"] },
      message: /is not a delegated permission of Microsoft Graph, only an application one/,
      suggestion: /--graph-app-permission Application\.ReadWrite\.OwnedBy/,
    },
  ];
  for (const refusal of refusals) {
    it(`refuses ${refusal.name} (exit 2) before writing anything`, async () => {
      const dir = await tempDir("mcp-entra-project-");
      tenant().clearRequestLog();
      const error = await register(dir, { preset: "remote", ...refusal.flags }).catch((caught) => caught);
      expect(error).toBeInstanceOf(UsageError);
      expect(error.exitCode).toBe(2);
      expect(error.message).toMatch(refusal.message);
      expect(error.suggestion).toMatch(refusal.suggestion);
      expect(tenant().requestLog({ kind: "graph", writesOnly: true })).toEqual([]);
      await expect(access(join(dir, "mcp-entra.json"))).rejects.toThrow();
    });
  }
});

import { randomUUID } from "node:crypto";
import {
  type AppRoleAssignment,
  addPassword,
  addToGrant,
  type DevTenant,
  newApplication,
  newServicePrincipal,
} from "mcp-entra/dev-tenant";

/**
 * Registers this server in a dev tenant the way `mcp-entra register --preset proxy` does in Entra:
 * the API app (scope user_impersonation, app roles Tools.Read and Tools.Admin, v2 tokens, VS Code
 * pre-authorized, Graph User.Read admin-consented for on-behalf-of, a client secret) with the
 * proxy's web redirect URI `{origin}/oauth/callback` and admin consent for its own scope (the proxy
 * signs users in as this app), a CI client app holding Tools.Read, and Tools.Admin for one test user.
 *
 * The only file in this project that builds a registration by hand: replace it with the register
 * command once the tests can run it.
 */
export const VSCODE_CLIENT_ID = "aebc6443-996d-45c2-90f0-388ff96faa56";
const GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";
const GRAPH_USER_READ_ID = "e1fe6dd8-ba31-4d61-89e7-88639da4683d";

export interface TestRegistration {
  /** The variables `register` writes to .env (without MCP_SERVER_URL, PORT and HOST). */
  env: Record<string, string>;
  apiAppId: string;
  appIdUri: string;
  /** The fully qualified delegated scope. */
  scope: string;
  /** A confidential client with the Tools.Read app role (what CI uses). */
  ciClientId: string;
  /** UPNs: `admin` holds Tools.Admin, `member` holds no role. */
  users: { admin: string; member: string };
}

export async function registerTestApps(
  tenant: DevTenant,
  options: {
    /** The proxy's web redirect URI, `{origin}/oauth/callback`. */
    callbackUrl: string;
    /** The Application ID URI; by default api://<client id>. (The server URL is the other choice.) */
    appIdUri?: string;
  },
): Promise<TestRegistration> {
  const now = tenant.clock.iso();
  const scopeId = randomUUID();
  const readRoleId = randomUUID();
  const adminRoleId = randomUUID();
  const role = (id: string, value: string, description: string) => ({
    id,
    value,
    displayName: value,
    description,
    allowedMemberTypes: ["User", "Application"] as ("User" | "Application")[],
    isEnabled: true,
  });

  return tenant.store.commit((state) => {
    const api = newApplication(
      {
        displayName: "MCP server (test)",
        api: {
          requestedAccessTokenVersion: 2,
          oauth2PermissionScopes: [
            {
              id: scopeId,
              value: "user_impersonation",
              type: "User",
              isEnabled: true,
              adminConsentDisplayName: "Use the MCP server",
              adminConsentDescription: "Call the MCP server's tools as the signed-in user.",
              userConsentDisplayName: "Use the MCP server",
              userConsentDescription: "Call the MCP server's tools as you.",
            },
          ],
          preAuthorizedApplications: [{ appId: VSCODE_CLIENT_ID, delegatedPermissionIds: [scopeId] }],
        },
        appRoles: [
          role(readRoleId, "Tools.Read", "Call the read-only tools."),
          role(adminRoleId, "Tools.Admin", "Call the administrative tools."),
        ],
        requiredResourceAccess: [
          { resourceAppId: GRAPH_APP_ID, resourceAccess: [{ id: GRAPH_USER_READ_ID, type: "Scope" }] },
        ],
        web: { redirectUris: [options.callbackUrl] },
      },
      now,
    );
    api.identifierUris = [options.appIdUri ?? `api://${api.appId}`];
    const { secretText } = addPassword(state, api, { displayName: "test" }, tenant.clock.now());
    const ci = newApplication({ displayName: "MCP server CI (test)" }, now);
    state.applications.push(api, ci);
    const apiSp = newServicePrincipal(state, api, now);
    const ciSp = newServicePrincipal(state, ci, now);
    state.servicePrincipals.push(apiSp, ciSp);

    const graphSp = state.servicePrincipals.find((sp) => sp.appId === GRAPH_APP_ID);
    if (!graphSp) throw new Error("The dev tenant has no Microsoft Graph service principal");
    addToGrant(
      state,
      { clientId: apiSp.id, consentType: "AllPrincipals", principalId: null, resourceId: graphSp.id },
      ["User.Read"],
    );
    addToGrant(
      state,
      { clientId: apiSp.id, consentType: "AllPrincipals", principalId: null, resourceId: apiSp.id },
      ["user_impersonation"],
    );

    const [admin, member] = ["adele", "alex"].map((alias) => {
      const user = state.users.find((candidate) => candidate.userPrincipalName.startsWith(`${alias}@`));
      if (!user) throw new Error(`The dev tenant has no test user ${alias}`);
      return user;
    }) as [(typeof state.users)[number], (typeof state.users)[number]];
    const assign = (
      appRoleId: string,
      principal: { id: string; displayName: string },
      principalType: AppRoleAssignment["principalType"],
    ) =>
      state.appRoleAssignments.push({
        id: randomUUID(),
        appRoleId,
        createdDateTime: now,
        principalDisplayName: principal.displayName,
        principalId: principal.id,
        principalType,
        resourceDisplayName: api.displayName,
        resourceId: apiSp.id,
      });
    assign(readRoleId, ciSp, "ServicePrincipal");
    assign(adminRoleId, admin, "User");

    const appIdUri = api.identifierUris[0]!;
    return {
      env: {
        ENTRA_TENANT_ID: tenant.tenantId,
        ENTRA_AUTHORITY_HOST: tenant.url,
        ENTRA_CLIENT_ID: api.appId,
        ENTRA_APP_ID_URI: appIdUri,
        ENTRA_CLIENT_SECRET: secretText,
        ENTRA_CA_FILE: tenant.caFile,
        GRAPH_BASE_URL: `${tenant.url}/v1.0`,
      },
      apiAppId: api.appId,
      appIdUri,
      scope: `${appIdUri}/user_impersonation`,
      ciClientId: ci.appId,
      users: { admin: admin.userPrincipalName, member: member.userPrincipalName },
    };
  });
}

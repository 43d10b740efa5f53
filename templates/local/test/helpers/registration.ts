import { addToGrant, type DevTenant, newApplication, newServicePrincipal } from "mcp-entra/dev-tenant";

/**
 * Registers this server in a dev tenant the way `mcp-entra register --preset local` does in Entra: a
 * public client (public client flows allowed, loopback redirect URI http://localhost) with Microsoft
 * Graph's delegated User.Read, admin-consented. No secret: the server runs on the user's machine.
 *
 * The only file in this project that builds a registration by hand: replace it with the register
 * command once the tests can run it.
 */
const GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";
const GRAPH_USER_READ_ID = "e1fe6dd8-ba31-4d61-89e7-88639da4683d";

export interface TestRegistration {
  /** The variables `register` writes to .env. */
  env: Record<string, string>;
  clientId: string;
  /** The test user who signs in. */
  user: { userPrincipalName: string; displayName: string };
}

export async function registerTestApp(tenant: DevTenant): Promise<TestRegistration> {
  const now = tenant.clock.iso();
  return tenant.store.commit((state) => {
    const app = newApplication(
      {
        displayName: "MCP local server (test)",
        isFallbackPublicClient: true,
        publicClient: { redirectUris: ["http://localhost"] },
        requiredResourceAccess: [
          { resourceAppId: GRAPH_APP_ID, resourceAccess: [{ id: GRAPH_USER_READ_ID, type: "Scope" }] },
        ],
      },
      now,
    );
    state.applications.push(app);
    const sp = newServicePrincipal(state, app, now);
    state.servicePrincipals.push(sp);
    const graphSp = state.servicePrincipals.find((candidate) => candidate.appId === GRAPH_APP_ID);
    if (!graphSp) throw new Error("The dev tenant has no Microsoft Graph service principal");
    addToGrant(
      state,
      { clientId: sp.id, consentType: "AllPrincipals", principalId: null, resourceId: graphSp.id },
      ["User.Read"],
    );
    const user = state.users.find((candidate) => candidate.userPrincipalName.startsWith("adele@"));
    if (!user) throw new Error("The dev tenant has no test user adele");
    return {
      env: {
        ENTRA_TENANT_ID: tenant.tenantId,
        ENTRA_AUTHORITY_HOST: tenant.url,
        ENTRA_CLIENT_ID: app.appId,
        ENTRA_CA_FILE: tenant.caFile,
        GRAPH_BASE_URL: `${tenant.url}/v1.0`,
      },
      clientId: app.appId,
      user: { userPrincipalName: user.userPrincipalName, displayName: user.displayName },
    };
  });
}

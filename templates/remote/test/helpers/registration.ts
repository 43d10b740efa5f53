import { registerInDevTenant } from "mcp-entra";
import { type DevTenant, newAppRoleAssignment } from "mcp-entra/dev-tenant";

/**
 * Registers this server in a dev tenant with the real `mcp-entra register`, as you would in Entra:
 * - `--preset remote`: the API app (scope user_impersonation, app roles Tools.Read and Tools.Admin,
 *   v2 tokens, VS Code pre-authorized, Graph User.Read admin-consented for on-behalf-of, a client
 *   secret in .env);
 * - `--preset ci --github-repo`: the CI client, holding Tools.Read, signing in with a GitHub Actions
 *   OIDC token through a federated credential (what .github/workflows/ci.yml does).
 * Register gives roles to apps, not to people: one test user gets Tools.Admin directly in the tenant.
 */
export const VSCODE_CLIENT_ID = "aebc6443-996d-45c2-90f0-388ff96faa56";
/** The repository whose GitHub Actions runs may sign in as the CI client. */
export const CI_REPOSITORY = "contoso/mcp-server";

export interface TestRegistration {
  /** The .env `register --preset remote` wrote (it holds the client secret: never log it). */
  env: Record<string, string>;
  apiAppId: string;
  appIdUri: string;
  /** The fully qualified delegated scope. */
  scope: string;
  /** The CI client (role Tools.Read; federated credential for CI_REPOSITORY's main branch). */
  ciClientId: string;
  /** UPNs: `admin` holds Tools.Admin, `member` holds no role. */
  users: { admin: string; member: string };
}

export async function registerTestApps(
  tenant: DevTenant,
  options: {
    /** The folder register writes mcp-entra.json and .env into (a temp folder: not this project). */
    dir: string;
    /** The MCP endpoint's URL. */
    serverUrl: string;
  },
): Promise<TestRegistration> {
  const { dir, serverUrl } = options;
  const api = await registerInDevTenant(tenant, { preset: "remote", dir, serverUrl });
  const ci = await registerInDevTenant(tenant, { preset: "ci", dir, githubRepo: CI_REPOSITORY });
  const [admin, member] = [testUser(tenant, "adele"), testUser(tenant, "alex")];
  await assignAppRole(tenant, api.app.appId!, "Tools.Admin", admin);
  return {
    env: api.env,
    apiAppId: api.app.appId!,
    appIdUri: api.app.appIdUri!,
    scope: api.app.scopes[0]!,
    ciClientId: ci.app.appId!,
    users: { admin, member },
  };
}

function testUser(tenant: DevTenant, alias: string): string {
  const user = tenant.store.state.users.find((candidate) =>
    candidate.userPrincipalName.startsWith(`${alias}@`),
  );
  if (!user) throw new Error(`The dev tenant has no test user ${alias}`);
  return user.userPrincipalName;
}

/** An app role of the API for a user, written into the tenant directly (what an admin does in the portal). */
async function assignAppRole(tenant: DevTenant, appId: string, value: string, upn: string): Promise<void> {
  await tenant.store.commit((state) => {
    const role = state.applications
      .find((app) => app.appId === appId)
      ?.appRoles.find((r) => r.value === value);
    const sp = state.servicePrincipals.find((candidate) => candidate.appId === appId);
    const user = state.users.find((candidate) => candidate.userPrincipalName === upn);
    if (!role || !sp || !user) throw new Error(`Cannot assign ${value} of ${appId} to ${upn}`);
    const principal = { id: user.id, displayName: user.displayName, type: "User" as const };
    state.appRoleAssignments.push(newAppRoleAssignment(principal, sp, role.id, tenant.clock.iso()));
  });
}

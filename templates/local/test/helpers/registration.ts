import { registerInDevTenant } from "mcp-entra";
import type { DevTenant } from "mcp-entra/dev-tenant";

/**
 * Registers this server in a dev tenant with the real `mcp-entra register --preset local`, as you
 * would in Entra: a public client (public client flows allowed, loopback redirect URI
 * http://localhost) with Microsoft Graph's delegated User.Read, admin-consented. No secret: the
 * server runs on the user's machine.
 */
export interface TestRegistration {
  /** The .env register wrote. */
  env: Record<string, string>;
  clientId: string;
  /** The test user who signs in. */
  user: { userPrincipalName: string; displayName: string };
}

export async function registerTestApp(
  tenant: DevTenant,
  options: {
    /** The folder register writes mcp-entra.json and .env into (a temp folder: not this project). */
    dir: string;
  },
): Promise<TestRegistration> {
  const { env, app } = await registerInDevTenant(tenant, { preset: "local", dir: options.dir });
  const user = tenant.store.state.users.find((candidate) => candidate.userPrincipalName.startsWith("adele@"));
  if (!user) throw new Error("The dev tenant has no test user adele");
  return {
    env,
    clientId: app.appId!,
    user: { userPrincipalName: user.userPrincipalName, displayName: user.displayName },
  };
}

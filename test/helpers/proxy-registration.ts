import { join } from "node:path";
import { expect } from "vitest";
import { type FetchLike, trustedFetch } from "../../src/entra/trust.js";
import type { DevTenant } from "../../src/tenant/index.js";

/** What a generated `proxy` project's own test/helpers/registration.ts registers. */
export interface ProxyRegistration {
  env: Record<string, string>;
  apiAppId: string;
  appIdUri: string;
  scope: string;
  users: { admin: string; member: string };
}

/**
 * Registers the server of a generated `proxy` project at `serverUrl` with the project's own
 * registration helper (so the test sets up what the project's tests do), in a folder beside the
 * project, and turns the tenant's auto-approve on for its admin user (Entra's single sign-on). Also
 * gives a fetch that trusts the tenant, for the test's "browser".
 */
export async function registerGeneratedProxy(
  tenant: DevTenant,
  project: string,
  serverUrl: string,
): Promise<{ registration: ProxyRegistration; fetchTls: FetchLike }> {
  const helper = (await import(join(project, "test/helpers/registration.ts"))) as {
    registerTestApps(
      tenant: unknown,
      options: { dir: string; serverUrl: string },
    ): Promise<ProxyRegistration>;
  };
  const registration = await helper.registerTestApps(tenant, {
    dir: join(project, "..", "registration"),
    serverUrl,
  });
  const fetchTls = trustedFetch([tenant.caPem]);
  const settings = await fetchTls(`${tenant.url}/_admin/settings`, {
    method: "PATCH",
    headers: { Authorization: `Bearer ${tenant.adminToken}`, "Content-Type": "application/json" },
    body: JSON.stringify({ autoApprove: registration.users.admin }),
  });
  expect(settings.status).toBe(200);
  return { registration, fetchTls };
}

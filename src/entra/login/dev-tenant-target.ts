import type { AccountInfo } from "@azure/msal-node";
import type { TenantAdminClient } from "../../tenant/server/admin-client.js";
import { REGISTER_GRAPH_SCOPES, reuseToken, type TenantTarget } from "../tenant-target.js";
import { GRAPH_CLI_CLIENT_ID } from "../well-known.js";
import { publicClientApp } from "./msal-apps.js";

/** The public client mcp-entra signs in to the dev tenant with: Microsoft Graph Command Line Tools. */
export const DEV_TENANT_LOGIN_CLIENT_ID = GRAPH_CLI_CLIENT_ID;

export interface DevTenantInfo {
  url: string;
  tenantId: string;
  domain: string;
  caPem: string;
  caFile: string;
  admin: TenantAdminClient;
}

/**
 * The dev tenant as a target. Its Graph token comes from real msal-node (device code flow) for the
 * tenant's first administrator — or `user` — approved without interaction through a one-time sign-in
 * ticket from the tenant's admin API. The token cache is shared with `mcp-entra login`.
 */
export function devTenantTarget(info: DevTenantInfo, home: string, user?: string): TenantTarget {
  const authority = `${info.url}/${info.tenantId}`;
  return {
    kind: "dev",
    tenantId: info.tenantId,
    domain: info.domain,
    authorityHost: info.url,
    authority,
    graphBaseUrl: info.url,
    caPems: [info.caPem],
    caFile: info.caFile,
    label: `the dev tenant (${info.url})`,
    graphToken: reuseToken(() => signInToDevTenant(info, home, user)),
    managedIdentityHost: () => info.admin.managedIdentityHost(),
  };
}

export async function signInToDevTenant(info: DevTenantInfo, home: string, user?: string) {
  const app = publicClientApp(
    { authority: `${info.url}/${info.tenantId}`, caPems: [info.caPem] },
    DEV_TENANT_LOGIN_CLIENT_ID,
    home,
  );
  const username = (user ?? (await firstAdministrator(info.admin))).toLowerCase();
  const accounts = await app.getTokenCache().getAllAccounts();
  const account = accounts.find(
    (candidate: AccountInfo) =>
      candidate.tenantId === info.tenantId && candidate.username.toLowerCase() === username,
  );
  if (account) {
    const cached = await app.acquireTokenSilent({ account, scopes: REGISTER_GRAPH_SCOPES }).catch(() => null);
    if (cached) return cached;
  }
  const { ticket } = await info.admin.signInTicket(username);
  const result = await app.acquireTokenByDeviceCode({
    scopes: REGISTER_GRAPH_SCOPES,
    extraQueryParameters: { sign_in_ticket: ticket },
    deviceCodeCallback: () => {},
  });
  if (!result) throw new Error("The dev tenant returned no token");
  return result;
}

const administrators = new WeakMap<TenantAdminClient, string>();

async function firstAdministrator(admin: TenantAdminClient): Promise<string> {
  let upn = administrators.get(admin);
  if (!upn) {
    const found = (await admin.listUsers()).find((candidate) => candidate.admin);
    if (!found)
      throw new Error(
        "The dev tenant has no administrator; add one with `mcp-entra tenant users add <alias> --admin`.",
      );
    upn = found.userPrincipalName;
    administrators.set(admin, upn);
  }
  return upn;
}

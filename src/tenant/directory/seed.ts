import { randomUUID } from "node:crypto";
import {
  FIRST_PARTY_CLIENTS,
  MICROSOFT_GRAPH_APP_ID,
  MICROSOFT_GRAPH_RESOURCE,
  MICROSOFT_SERVICES_TENANT_ID,
} from "../../entra/well-known.js";
import { graphAppRoles, graphPermissionScopes } from "../microsoft-graph/graph-service-principal.js";
import { hashPassword } from "../secrets/passwords.js";
import { generateSigningKey } from "../tokens/signing-keys.js";
import type { ServicePrincipal, TenantState, User } from "./tenant-state.js";

/** Every seeded test user signs in with this password (it is a dev tenant: it says so). */
export const DEFAULT_TEST_PASSWORD = "Passw0rd!dev";

export interface SeedOptions {
  domainPrefix?: string;
  now?: string;
}

const TEST_USERS = [
  { alias: "adele", displayName: "Adele Vance", givenName: "Adele", surname: "Vance", admin: true },
  { alias: "alex", displayName: "Alex Wilber", givenName: "Alex", surname: "Wilber", admin: false },
  { alias: "megan", displayName: "Megan Bowen", givenName: "Megan", surname: "Bowen", admin: false },
];

export function newUser(
  domain: string,
  fields: { alias: string; displayName: string } & Partial<User>,
): User {
  const userPrincipalName = `${fields.alias}@${domain}`.toLowerCase();
  return {
    id: randomUUID(),
    userPrincipalName,
    displayName: fields.displayName,
    givenName: fields.givenName ?? null,
    surname: fields.surname ?? null,
    mail: userPrincipalName,
    jobTitle: fields.jobTitle ?? null,
    accountEnabled: true,
  };
}

/** The state of a brand-new dev tenant. */
export async function seedTenantState(options: SeedOptions = {}): Promise<TenantState> {
  const now = options.now ?? new Date().toISOString();
  const domain = `${options.domainPrefix ?? "mcpdev"}.onmicrosoft.localhost`;
  const users = TEST_USERS.map((user) => newUser(domain, user));
  // The slow parts (scrypt, RSA key generation) run side by side on libuv's thread pool.
  const [signingKey, ...passwordHashes] = await Promise.all([
    generateSigningKey(now),
    ...users.map(() => hashPassword(DEFAULT_TEST_PASSWORD)),
  ]);
  return {
    schemaVersion: 1,
    tenant: { id: randomUUID(), displayName: "mcp-entra dev tenant", domain, createdDateTime: now },
    users,
    administrators: users.filter((_, index) => TEST_USERS[index]!.admin).map((user) => user.id),
    userPasswordHashes: Object.fromEntries(users.map((user, index) => [user.id, passwordHashes[index]!])),
    applications: [],
    owners: {},
    federatedIdentityCredentials: {},
    secretHashes: {},
    servicePrincipals: [graphServicePrincipal(now), ...FIRST_PARTY_CLIENTS.map((c) => firstPartySp(c, now))],
    oauth2PermissionGrants: [],
    appRoleAssignments: [],
    refreshTokens: {},
    signingKeys: [signingKey],
    settings: { autoApproveUserId: null },
  };
}

function microsoftSp(
  fields: Partial<ServicePrincipal> & { appId: string; displayName: string; now: string },
) {
  const { now, ...rest } = fields;
  return {
    id: randomUUID(),
    appOwnerOrganizationId: MICROSOFT_SERVICES_TENANT_ID,
    servicePrincipalType: "Application",
    accountEnabled: true,
    appRoleAssignmentRequired: false,
    servicePrincipalNames: [fields.appId],
    appRoles: [],
    oauth2PermissionScopes: [],
    replyUrls: [],
    signInAudience: "AzureADMultipleOrgs",
    tags: [],
    createdDateTime: now,
    ...rest,
  } satisfies ServicePrincipal;
}

function graphServicePrincipal(now: string): ServicePrincipal {
  return microsoftSp({
    appId: MICROSOFT_GRAPH_APP_ID,
    displayName: "Microsoft Graph",
    servicePrincipalNames: [MICROSOFT_GRAPH_APP_ID, MICROSOFT_GRAPH_RESOURCE, "https://graph.microsoft.com/"],
    oauth2PermissionScopes: graphPermissionScopes(),
    appRoles: graphAppRoles(),
    now,
  });
}

function firstPartySp(client: (typeof FIRST_PARTY_CLIENTS)[number], now: string): ServicePrincipal {
  return microsoftSp({
    appId: client.appId,
    displayName: client.displayName,
    replyUrls: client.redirectUris,
    now,
  });
}

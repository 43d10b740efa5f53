import { hashPassword } from "../secrets/passwords.js";
import { DEFAULT_TEST_PASSWORD, newUser } from "./seed.js";
import type { TenantState, User } from "./tenant-state.js";

/** A test user's alias: the part of the UPN before the tenant's domain. */
export const USER_ALIAS_PATTERN = /^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?$/i;

export interface NewTestUser {
  alias: string;
  displayName?: string;
  password?: string;
  admin?: boolean;
}

/** A user as the admin API and `tenant users` show it. */
export interface TestUserSummary {
  id: string;
  userPrincipalName: string;
  displayName: string;
  admin: boolean;
}

export function summarizeUser(state: TenantState, user: User): TestUserSummary {
  return {
    id: user.id,
    userPrincipalName: user.userPrincipalName,
    displayName: user.displayName,
    admin: state.administrators.includes(user.id),
  };
}

/** Adds a test user (the default test password unless one is given); undefined if the UPN is taken. */
export function addTestUser(state: TenantState, input: NewTestUser, passwordHash: string): User | undefined {
  const user = newUser(state.tenant.domain, {
    alias: input.alias,
    displayName: input.displayName ?? input.alias,
  });
  if (state.users.some((existing) => existing.userPrincipalName === user.userPrincipalName)) return undefined;
  state.users.push(user);
  state.userPasswordHashes[user.id] = passwordHash;
  if (input.admin) state.administrators.push(user.id);
  return user;
}

/** Hashing is slow on purpose, so it happens before the (synchronous) change to the state. */
export function testUserPasswordHash(input: NewTestUser): Promise<string> {
  return hashPassword(input.password ?? DEFAULT_TEST_PASSWORD);
}

/** Removes a user and everything that belongs to them: password, consents, roles, refresh tokens. */
export function removeTestUser(state: TenantState, user: User): void {
  state.users = state.users.filter((candidate) => candidate.id !== user.id);
  state.administrators = state.administrators.filter((id) => id !== user.id);
  delete state.userPasswordHashes[user.id];
  state.oauth2PermissionGrants = state.oauth2PermissionGrants.filter(
    (grant) => grant.principalId !== user.id,
  );
  state.appRoleAssignments = state.appRoleAssignments.filter(
    (assignment) => assignment.principalId !== user.id,
  );
  for (const [hash, record] of Object.entries(state.refreshTokens)) {
    if (record.userId === user.id) delete state.refreshTokens[hash];
  }
  for (const [appObjectId, owners] of Object.entries(state.owners)) {
    state.owners[appObjectId] = owners.filter((id) => id !== user.id);
  }
  if (state.settings.autoApproveUserId === user.id) state.settings.autoApproveUserId = null;
}

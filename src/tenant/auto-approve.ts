import { userByIdOrUpn } from "./directory.js";
import type { TenantState, User } from "./model.js";

/**
 * The user auto-approve signs in: `true` means the default (the first administrator); a string is a
 * user id, a UPN, or an alias in the tenant's domain.
 */
export function autoApproveUser(state: TenantState, wanted: string | true): User | undefined {
  if (wanted === true) {
    const id = state.administrators[0] ?? state.users[0]?.id;
    return id ? state.users.find((user) => user.id === id) : undefined;
  }
  const name = wanted.trim();
  return userByIdOrUpn(state, name) ?? userByIdOrUpn(state, `${name}@${state.tenant.domain}`);
}

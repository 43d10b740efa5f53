import type { TenantContext } from "../context.js";
import { userById, userByIdOrUpn } from "../directory/lookups.js";
import type { TenantState, User } from "../directory/tenant-state.js";

/**
 * Auto-approve mode (state.settings.autoApproveUserId, switched on explicitly through the admin API):
 * the user that is signed in without a page — the one a login_hint names, if it exists, else the
 * configured one. Undefined when the mode is off.
 */
export function autoApproveUser(ctx: TenantContext, loginHint?: string): User | undefined {
  const state = ctx.store.state;
  const configured = state.settings.autoApproveUserId;
  if (!configured) return undefined;
  const hinted = loginHint ? userByIdOrUpn(state, loginHint) : undefined;
  const user = hinted?.accountEnabled ? hinted : userById(state, configured);
  return user?.accountEnabled ? user : undefined;
}

/**
 * The user to switch auto-approve on for: `true` means the default (the first administrator); a
 * string is a user id, a UPN, or an alias in the tenant's domain.
 */
export function resolveAutoApproveUser(state: TenantState, wanted: string | true): User | undefined {
  if (wanted === true) {
    const id = state.administrators[0] ?? state.users[0]?.id;
    return id ? state.users.find((user) => user.id === id) : undefined;
  }
  const name = wanted.trim();
  return userByIdOrUpn(state, name) ?? userByIdOrUpn(state, `${name}@${state.tenant.domain}`);
}

import type { TenantContext } from "./context.js";
import { userById, userByIdOrUpn } from "./directory.js";
import type { User } from "./model.js";

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

import { applicationByAppId } from "../directory/lookups.js";
import type { GraphCall, GraphResult, GraphRoute } from "./dispatch.js";
import { badRequest, insufficientPrivileges, invalidValue } from "./errors.js";
import { findServicePrincipal } from "./lookup.js";
import { applicationWriteReach, isOwner } from "./permissions.js";

/** What PATCH may change on a service principal here: whether users may sign in, and who. */
const UPDATABLE = {
  accountEnabled: "boolean",
  appRoleAssignmentRequired: "boolean",
} as const;

/**
 * PATCH /servicePrincipals/{id}: an administrator (or an owner of an app registered here) disables a
 * client or requires assignment to it — what "Enabled for users to sign in" and "Assignment required"
 * are in the admin center, and how an organisation blocks a Microsoft client for its users.
 */
async function updateServicePrincipal(call: GraphCall): Promise<GraphResult> {
  const sp = findServicePrincipal(call, call.keys[0]!);
  const state = call.ctx.store.state;
  const reach = applicationWriteReach(call.caller);
  const app = applicationByAppId(state, sp.appId);
  const owned =
    isOwner(state, sp.id, call.caller) || (app !== undefined && isOwner(state, app.id, call.caller));
  if (reach !== "all" && !(reach === "owned" && owned)) throw insufficientPrivileges();
  const changes: Partial<Record<keyof typeof UPDATABLE, boolean>> = {};
  for (const [property, value] of Object.entries(call.body)) {
    if (!(property in UPDATABLE)) {
      throw badRequest(`Property '${property}' cannot be updated on a servicePrincipal here.`);
    }
    if (typeof value !== UPDATABLE[property as keyof typeof UPDATABLE]) {
      throw invalidValue(property, "servicePrincipal");
    }
    changes[property as keyof typeof UPDATABLE] = value as boolean;
  }
  await call.ctx.store.commit((draft) => {
    const target = draft.servicePrincipals.find((candidate) => candidate.id === sp.id);
    if (target) Object.assign(target, changes);
  });
  return { status: 204 };
}

export const servicePrincipalUpdateRoutes: GraphRoute[] = [
  { method: "PATCH", path: "servicePrincipals/{}", handler: updateServicePrincipal },
];

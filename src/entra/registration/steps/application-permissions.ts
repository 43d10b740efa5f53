import type { GraphApi } from "../../graph-api.js";
import { graphFailure } from "../../graph-failure.js";
import type { DesiredPermission } from "../model.js";
import { type ConsentOutcome, notGranted } from "./admin-consent.js";
import { ensureRoleAssignments } from "./role-assignments.js";
import type { ResourcePrincipal } from "./service-principal.js";

/**
 * Admin consent to application permissions (e.g. Microsoft Graph User.Read.All), as Entra's "Grant
 * admin consent" gives it: an app role assignment of each role to the app's service principal, and
 * none for roles no longer asked for. An account that may not consent for the tenant gets a warning.
 */
export async function ensureGraphAppRoles(
  graph: GraphApi,
  input: {
    principal: { id: string; isNew: boolean };
    permissions: DesiredPermission[];
    resources?: ResourcePrincipal[];
    outcome: ConsentOutcome;
  },
): Promise<void> {
  for (const permission of input.permissions) {
    const roles = permission.roles.map((role) => role.value);
    try {
      await ensureRoleAssignments(
        graph,
        input.principal.id,
        [{ resourceAppId: permission.resourceAppId, roleValues: roles }],
        input.principal.isNew,
        input.resources,
      );
      if (roles.length > 0) input.outcome.appRoles.push({ resourceAppId: permission.resourceAppId, roles });
    } catch (error) {
      if (graphFailure(error)?.status !== 403) throw error;
      input.outcome.warnings.push(
        notGranted(roles.join(" "), "the app's tokens carry no such role until then"),
      );
    }
  }
}

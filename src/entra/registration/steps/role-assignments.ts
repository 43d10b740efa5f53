import { UsageError } from "../../../core/errors.js";
import type { AppRoleAssignment } from "../../../tenant/directory/tenant-state.js";
import type { GraphApi } from "../../graph-api.js";
import { graphFailure } from "../../graph-failure.js";
import { findServicePrincipal, type ResourcePrincipal } from "./service-principal.js";

/**
 * The app roles of other APIs that the app's service principal must hold (so app-only tokens carry
 * `roles`): missing assignments are added, assignments of roles no longer wanted are removed.
 */
export async function ensureRoleAssignments(
  graph: GraphApi,
  principalId: string,
  wanted: { resourceAppId: string; roleValues: string[] }[],
  principalIsNew: boolean,
  /** Resource service principals already read (Microsoft Graph's), to skip their lookup. */
  known: ResourcePrincipal[] = [],
): Promise<string[]> {
  const assigned: string[] = [];
  for (const { resourceAppId, roleValues } of wanted) {
    const resource =
      known.find((sp) => sp.appId === resourceAppId) ?? (await findServicePrincipal(graph, resourceAppId));
    if (!resource) {
      throw new UsageError(
        "API_NOT_FOUND",
        `--api: no service principal for ${resourceAppId} in this tenant.`,
        {
          suggestion:
            "register the API first (mcp-entra register --preset remote), or pass the right --api appId.",
        },
      );
    }
    const roleIds = roleValues.map((value) => {
      const role = resource.appRoles.find((candidate) => candidate.value === value && candidate.isEnabled);
      if (!role) {
        const available = resource.appRoles.map((candidate) => candidate.value).join(", ") || "none";
        throw new UsageError(
          "ROLE_NOT_FOUND",
          `--ci-role: the API has no app role ${value} (it has: ${available}).`,
          {
            suggestion:
              "pass one of the API's roles, or add it with mcp-entra register --preset remote --role.",
          },
        );
      }
      return role.id;
    });
    const current = principalIsNew
      ? []
      : // The principal exists (it was just read): a 404 is replication delay, not "no assignments".
        (
          await graph.list<AppRoleAssignment>(`/servicePrincipals/${principalId}/appRoleAssignments`, {
            replication: true,
          })
        ).filter((assignment) => assignment.resourceId === resource.id);
    for (const appRoleId of roleIds) {
      if (current.some((assignment) => assignment.appRoleId === appRoleId)) continue;
      try {
        await graph.write({
          method: "POST",
          path: `/servicePrincipals/${resource.id}/appRoleAssignedTo`,
          body: { principalId, resourceId: resource.id, appRoleId },
          purpose: "assign an app role of the API",
          replication: true,
        });
      } catch (error) {
        // The same assignment made by an earlier, interrupted run: what was wanted is there.
        if (!/already exists/i.test(graphFailure(error)?.message ?? "")) throw error;
      }
    }
    for (const stale of current.filter((assignment) => !roleIds.includes(assignment.appRoleId))) {
      await graph.write({
        method: "DELETE",
        path: `/servicePrincipals/${resource.id}/appRoleAssignedTo/${stale.id}`,
        purpose: "remove an app role assignment no longer wanted",
      });
    }
    assigned.push(...roleValues);
  }
  return assigned;
}

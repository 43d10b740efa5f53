import { UsageError } from "../../../core/errors.js";
import type { GraphApi } from "../../graph-api.js";
import { isGuid } from "../../well-known.js";
import { graphDirectoryObject } from "../application-diff.js";

/** Resolves --owner values (object ids or user principal names) to object ids. */
export async function resolveOwners(graph: GraphApi, owners: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const owner of owners) {
    if (isGuid(owner)) {
      ids.push(owner.toLowerCase());
      continue;
    }
    const user = await graph.get<{ id: string }>(`/users/${encodeURIComponent(owner)}?$select=id`);
    if (!user) {
      throw new UsageError("OWNER_NOT_FOUND", `--owner: no user ${owner} in this tenant.`, {
        suggestion: "pass a user principal name or object id that exists in the tenant.",
      });
    }
    ids.push(user.id);
  }
  return ids;
}

/** Adds the owners the app lacks; owners are never removed by mcp-entra. */
export async function ensureOwners(graph: GraphApi, appObjectId: string, ownerIds: string[]): Promise<void> {
  if (ownerIds.length === 0) return;
  const current = await graph.list<{ id: string }>(`/applications/${appObjectId}/owners?$select=id`);
  for (const id of ownerIds.filter((owner) => !current.some((existing) => existing.id === owner))) {
    await graph.write({
      method: "POST",
      path: `/applications/${appObjectId}/owners/$ref`,
      body: { "@odata.id": graphDirectoryObject(id) },
      purpose: "add an owner",
      replication: true,
    });
  }
}

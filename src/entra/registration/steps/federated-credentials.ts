import type { FederatedIdentityCredential } from "../../../tenant/directory/tenant-state.js";
import type { GraphApi } from "../../graph-api.js";
import { graphFailure } from "../../graph-failure.js";
import type { DesiredFederatedCredential } from "../model.js";

/**
 * Creates or updates the federated credentials a registration wants (matched by name, which Graph
 * never lets change) and deletes the ones mcp-entra created earlier that are no longer wanted.
 * Credentials added by other means are left alone.
 */
export async function ensureFederatedCredentials(
  graph: GraphApi,
  appObjectId: string,
  desired: DesiredFederatedCredential[],
  previouslyManaged: string[],
  appIsNew: boolean,
): Promise<string[]> {
  if (desired.length === 0 && previouslyManaged.length === 0) return [];
  const path = `/applications/${appObjectId}/federatedIdentityCredentials`;
  const current = appIsNew ? [] : await graph.list<FederatedIdentityCredential>(path, { replication: true });
  for (const wanted of desired) {
    let existing = current.find((credential) => credential.name === wanted.name);
    if (!existing) {
      try {
        await graph.write({
          method: "POST",
          path,
          body: wanted,
          purpose: "add a federated credential",
          replication: true,
        });
        continue;
      } catch (error) {
        // "already exists": an earlier, interrupted run added it; compare with what is there.
        if (graphFailure(error)?.status !== 409) throw error;
        const again = await graph.list<FederatedIdentityCredential>(path, { replication: true });
        existing = again.find((credential) => credential.name === wanted.name);
        if (!existing) throw error;
      }
    }
    if (!sameCredential(existing, wanted)) {
      const { name: _immutable, ...changes } = wanted;
      await graph.write({
        method: "PATCH",
        path: `${path}/${existing.id}`,
        body: changes,
        purpose: "update a federated credential",
        replication: true,
      });
    }
  }
  for (const stale of current) {
    if (previouslyManaged.includes(stale.name) && !desired.some((wanted) => wanted.name === stale.name)) {
      await graph.write({
        method: "DELETE",
        path: `${path}/${stale.id}`,
        purpose: "remove a federated credential mcp-entra no longer uses",
      });
    }
  }
  return desired.map((wanted) => wanted.name);
}

function sameCredential(current: FederatedIdentityCredential, wanted: DesiredFederatedCredential): boolean {
  return (
    current.issuer === wanted.issuer &&
    current.subject === wanted.subject &&
    [...current.audiences].sort().join(" ") === [...wanted.audiences].sort().join(" ") &&
    (current.description ?? "") === wanted.description
  );
}

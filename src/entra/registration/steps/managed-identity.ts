import { invalidFlag } from "../../../core/errors.js";
import type { ServicePrincipal } from "../../../tenant/directory/tenant-state.js";
import type { GraphApi } from "../../graph-api.js";
import type { ManagedIdentityRef } from "../model.js";

/**
 * The user-assigned managed identity that --managed-identity names, by client id or principal (object)
 * id, read from Graph: a managed identity is a service principal of type ManagedIdentity, whose
 * appId is the client id and whose id is the principal id. Throws a UsageError naming the flag.
 */
export async function findManagedIdentity(
  graph: GraphApi,
  id: string,
): Promise<ManagedIdentityRef | undefined> {
  const byClientId = await graph.get<ServicePrincipal>(`/servicePrincipals(appId='${id}')`);
  const sp = byClientId ?? (await graph.get<ServicePrincipal>(`/servicePrincipals/${id}`));
  if (!sp) return undefined;
  if (sp.servicePrincipalType !== "ManagedIdentity") {
    throw invalidFlag(
      "--managed-identity",
      `${id} is the service principal of ${sp.displayName}, an application, not a managed identity`,
      "pass the user-assigned identity's client id: az identity show -g <group> -n <name> --query clientId",
    );
  }
  return { name: sp.displayName, clientId: sp.appId, principalId: sp.id };
}

/** Like findManagedIdentity, but an unknown id is a usage error. */
export async function requireManagedIdentity(
  graph: GraphApi,
  id: string,
  tenantLabel: string,
): Promise<ManagedIdentityRef> {
  const identity = await findManagedIdentity(graph, id);
  if (identity) return identity;
  throw invalidFlag(
    "--managed-identity",
    `${tenantLabel} has no managed identity with client id or principal id ${id}`,
    "create one (az identity create -g <group> -n <name>; in the dev tenant: mcp-entra tenant identities add <name>) and pass its client id",
  );
}

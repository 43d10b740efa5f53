import type { ServicePrincipal } from "../../../tenant/directory/tenant-state.js";
import type { GraphApi } from "../../graph-api.js";
import { graphFailure } from "../../graph-failure.js";

/** The app's service principal: read it, or create it (retrying while the new app replicates). */
export async function ensureServicePrincipal(
  graph: GraphApi,
  appId: string,
  appIsNew: boolean,
): Promise<{ servicePrincipal: ServicePrincipal; created: boolean }> {
  const existing = appIsNew
    ? undefined
    : await graph.get<ServicePrincipal>(`/servicePrincipals(appId='${appId}')`);
  if (existing) return { servicePrincipal: existing, created: false };
  try {
    const servicePrincipal = await graph.write<ServicePrincipal>({
      method: "POST",
      path: "/servicePrincipals",
      body: { appId },
      purpose: "create the service principal",
      replication: true,
      simulated: { id: "<new service principal id>", appId } as ServicePrincipal,
    });
    return { servicePrincipal, created: true };
  } catch (error) {
    // "already in use": an interrupted run created it moments ago; read it once Graph shows it.
    if (graphFailure(error)?.status !== 409) throw error;
    const servicePrincipal = await graph.get<ServicePrincipal>(`/servicePrincipals(appId='${appId}')`, {
      replication: true,
    });
    if (!servicePrincipal) throw error;
    return { servicePrincipal, created: false };
  }
}

/** What the steps need of a resource's service principal. */
export type ResourcePrincipal = Pick<ServicePrincipal, "id" | "appId" | "appRoles">;

/** A resource's service principal (Microsoft Graph, or the project's API); undefined when missing. */
export function findServicePrincipal(graph: GraphApi, appId: string): Promise<ServicePrincipal | undefined> {
  return graph.get<ServicePrincipal>(`/servicePrincipals(appId='${appId}')`);
}

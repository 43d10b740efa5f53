import type { GraphPermissions } from "../../graph-permissions.js";
import { FIRST_PARTY_CLIENTS, MICROSOFT_GRAPH_APP_ID } from "../../well-known.js";

/** Names people recognise for the ids a registration is made of. */

/** "Visual Studio Code (aebc6443-…)", or the bare appId. */
export function clientName(appId: string, known: Record<string, string> = {}): string {
  const name = known[appId] ?? FIRST_PARTY_CLIENTS.find((client) => client.appId === appId)?.displayName;
  return name && name !== appId ? `${name} (${appId})` : appId;
}

export function resourceName(appId: string): string {
  return appId === MICROSOFT_GRAPH_APP_ID ? "Microsoft Graph" : appId;
}

/** A requested permission's value (e.g. User.Read) from its id, when the tenant's Graph names it. */
export function permissionName(
  resourceAppId: string,
  id: string,
  type: "Scope" | "Role",
  graph?: GraphPermissions,
): string {
  if (resourceAppId !== MICROSOFT_GRAPH_APP_ID) return id;
  return graph?.valueOf(id, type) ?? id;
}

import { FIRST_PARTY_CLIENTS, GRAPH_PERMISSIONS, MICROSOFT_GRAPH_APP_ID } from "../../well-known.js";

/** Names people recognise for the ids a registration is made of. */

/** "Visual Studio Code (aebc6443-…)", or the bare appId. */
export function clientName(appId: string, known: Record<string, string> = {}): string {
  const name = known[appId] ?? FIRST_PARTY_CLIENTS.find((client) => client.appId === appId)?.displayName;
  return name && name !== appId ? `${name} (${appId})` : appId;
}

export function resourceName(appId: string): string {
  return appId === MICROSOFT_GRAPH_APP_ID ? "Microsoft Graph" : appId;
}

/** A requested permission's value (e.g. User.Read) from its id, when mcp-entra knows it. */
export function permissionName(resourceAppId: string, id: string, type: "Scope" | "Role"): string {
  if (resourceAppId !== MICROSOFT_GRAPH_APP_ID) return id;
  const permission = GRAPH_PERMISSIONS.find((candidate) =>
    type === "Scope" ? candidate.delegatedId === id : candidate.applicationId === id,
  );
  return permission?.value ?? id;
}

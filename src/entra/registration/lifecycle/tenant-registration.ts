import type { ProjectApp } from "../../../core/project-config.js";
import type {
  Application,
  AppRoleAssignment,
  FederatedIdentityCredential,
  OAuth2PermissionGrant,
  ServicePrincipal,
} from "../../../tenant/directory/tenant-state.js";
import type { GraphApi } from "../../graph-api.js";
import { type GraphPermissions, readGraphPermissions } from "../../graph-permissions.js";
import { FIRST_PARTY_CLIENTS, MICROSOFT_GRAPH_APP_ID } from "../../well-known.js";
import { findApplication } from "../steps/application.js";
import { findServicePrincipal } from "../steps/service-principal.js";

/** A grant (consent) in which the app is the client, with the resource's name. */
export interface NamedGrant extends OAuth2PermissionGrant {
  resourceAppId?: string;
  resourceName: string;
}

/** An app role assignment with the role's value and the resource's appId. */
export interface NamedAssignment extends AppRoleAssignment {
  roleValue: string;
  resourceAppId?: string;
}

/** The registration as the tenant has it: the application and everything that hangs off it. */
export interface TenantRegistration {
  app: Application;
  servicePrincipal?: ServicePrincipal;
  federatedCredentials: FederatedIdentityCredential[];
  /** Consents the app holds as a client (admin consent is consentType AllPrincipals). */
  grants: NamedGrant[];
  /** App roles of other APIs the app's service principal holds. */
  roleAssignments: NamedAssignment[];
  /** Who holds this app's own roles (users, CI apps). */
  roleHolders: NamedAssignment[];
  /** Display names of the pre-authorized clients, by appId (the appId itself when unknown). */
  clientNames: Record<string, string>;
  /** Microsoft Graph's permissions, read when the app requests any (to name them). */
  graphPermissions?: GraphPermissions;
}

type ResourceSp = Pick<ServicePrincipal, "id" | "appId" | "displayName" | "appRoles">;

/** Reads the registration recorded in mcp-entra.json from the tenant; undefined when the app is gone. */
export async function readTenantRegistration(
  graph: GraphApi,
  record: ProjectApp,
): Promise<TenantRegistration | undefined> {
  const app = await findApplication(graph, { appId: record.appId, uniqueName: record.uniqueName });
  if (!app) return undefined;
  const servicePrincipal = await findServicePrincipal(graph, app.appId);
  const federatedCredentials = await graph.list<FederatedIdentityCredential>(
    `/applications/${app.id}/federatedIdentityCredentials`,
  );
  const resources = new Map<string, ResourceSp | undefined>();
  const resource = async (id: string) => {
    if (!resources.has(id)) {
      resources.set(
        id,
        await graph.get<ResourceSp>(`/servicePrincipals/${id}?$select=id,appId,displayName,appRoles`),
      );
    }
    return resources.get(id);
  };
  const grants: NamedGrant[] = [];
  const roleAssignments: NamedAssignment[] = [];
  const roleHolders: NamedAssignment[] = [];
  if (servicePrincipal) {
    const spPath = `/servicePrincipals/${servicePrincipal.id}`;
    for (const grant of await graph.list<OAuth2PermissionGrant>(`${spPath}/oauth2PermissionGrants`)) {
      const sp = await resource(grant.resourceId);
      grants.push({ ...grant, resourceAppId: sp?.appId, resourceName: sp?.displayName ?? grant.resourceId });
    }
    for (const assignment of await graph.list<AppRoleAssignment>(`${spPath}/appRoleAssignments`)) {
      const sp = await resource(assignment.resourceId);
      roleAssignments.push({
        ...assignment,
        resourceAppId: sp?.appId,
        roleValue: roleValue(sp?.appRoles, assignment.appRoleId),
      });
    }
    for (const assignment of await graph.list<AppRoleAssignment>(`${spPath}/appRoleAssignedTo`)) {
      roleHolders.push({
        ...assignment,
        resourceAppId: app.appId,
        roleValue: roleValue(app.appRoles, assignment.appRoleId),
      });
    }
  }
  const clientNames: Record<string, string> = {};
  for (const { appId } of app.api.preAuthorizedApplications) {
    clientNames[appId] =
      FIRST_PARTY_CLIENTS.find((client) => client.appId === appId)?.displayName ??
      (await graph.get<{ displayName: string }>(`/servicePrincipals(appId='${appId}')?$select=displayName`))
        ?.displayName ??
      appId;
  }
  const graphPermissions = app.requiredResourceAccess.some(
    (entry) => entry.resourceAppId === MICROSOFT_GRAPH_APP_ID,
  )
    ? await readGraphPermissions(graph)
    : undefined;
  return {
    app,
    servicePrincipal,
    federatedCredentials,
    grants,
    roleAssignments,
    roleHolders,
    clientNames,
    graphPermissions,
  };
}

function roleValue(roles: { id: string; value: string | null }[] | undefined, id: string): string {
  if (id === "00000000-0000-0000-0000-000000000000") return "(default access)";
  return roles?.find((role) => role.id === id)?.value ?? id;
}

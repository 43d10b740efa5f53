import { OperationError } from "../../../core/errors.js";
import type { OAuth2PermissionGrant } from "../../../tenant/directory/tenant-state.js";
import type { GraphApi } from "../../graph-api.js";
import { graphFailure } from "../../graph-failure.js";
import { findServicePrincipal, type ResourcePrincipal } from "./service-principal.js";

/** Delegated permissions (scope values) of one resource, to consent to for the whole tenant. */
export interface ConsentRequest {
  resourceAppId: string;
  scopes: string[];
}

export interface ConsentOutcome {
  granted: { resourceAppId: string; scope: string }[];
  /** Application permissions consented to: app roles of the resource assigned to the app. */
  appRoles: { resourceAppId: string; roles: string[] }[];
  /** Consent that could not be granted (the signed-in user is no administrator): what to do instead. */
  warnings: string[];
}

/**
 * Tenant-wide (admin) consent to the app's delegated permissions: one AllPrincipals grant per
 * resource, created or updated to exactly the wanted scopes.
 */
export async function ensureAdminConsent(
  graph: GraphApi,
  client: { id: string; appId: string },
  permissions: ConsentRequest[],
  clientSpIsNew: boolean,
  /** Resource service principals already read (Microsoft Graph's), to skip their lookup. */
  known: ResourcePrincipal[] = [],
): Promise<ConsentOutcome> {
  const clientSpId = client.id;
  const outcome: ConsentOutcome = { granted: [], appRoles: [], warnings: [] };
  for (const permission of permissions.filter((entry) => entry.scopes.length > 0)) {
    // The app's own API is the client's own service principal (no lookup: it may be replicating).
    const resource =
      permission.resourceAppId === client.appId
        ? client
        : (known.find((sp) => sp.appId === permission.resourceAppId) ??
          (await findServicePrincipal(graph, permission.resourceAppId)));
    if (!resource) {
      throw new OperationError(
        "RESOURCE_NOT_IN_TENANT",
        `No service principal for ${permission.resourceAppId} in the tenant.`,
        {
          suggestion: "an administrator must add the API to the tenant first.",
        },
      );
    }
    const scope = permission.scopes.join(" ");
    const allPrincipals = async () =>
      (
        await graph.list<OAuth2PermissionGrant>(
          `/oauth2PermissionGrants?$filter=clientId eq '${clientSpId}' and resourceId eq '${resource.id}'`,
        )
      ).find((grant) => grant.consentType === "AllPrincipals");
    const changeScope = async (existing: OAuth2PermissionGrant) => {
      if (sameScopes(existing.scope, scope)) return;
      await graph.write({
        method: "PATCH",
        path: `/oauth2PermissionGrants/${existing.id}`,
        body: { scope },
        purpose: `change admin consent to ${scope}`,
        replication: true,
      });
    };
    const existing = clientSpIsNew ? undefined : await allPrincipals();
    try {
      if (existing) await changeScope(existing);
      else {
        try {
          await graph.write({
            method: "POST",
            path: "/oauth2PermissionGrants",
            body: { clientId: clientSpId, consentType: "AllPrincipals", resourceId: resource.id, scope },
            purpose: `grant admin consent to ${scope}`,
            replication: true,
          });
        } catch (error) {
          // "Permission entry already exists": another run got there first; one grant, so adjust it.
          const raced = graphFailure(error)?.status === 409 ? await allPrincipals() : undefined;
          if (!raced) throw error;
          await changeScope(raced);
        }
      }
      outcome.granted.push({ resourceAppId: permission.resourceAppId, scope });
    } catch (error) {
      if (graphFailure(error)?.status !== 403) throw error;
      outcome.warnings.push(notGranted(scope, "users consent on first sign-in"));
    }
  }
  return outcome;
}

/** The warning when the signed-in account may not consent for the tenant (Graph answered 403). */
export function notGranted(what: string, otherwise: string): string {
  return (
    `admin consent to ${what} was not granted (the signed-in account may not grant tenant-wide consent); ` +
    `an administrator can run \`mcp-entra register\` (it grants consent unless --no-admin-consent), or ${otherwise}.`
  );
}

function sameScopes(a: string, b: string): boolean {
  const set = (value: string) => value.split(" ").filter(Boolean).sort().join(" ");
  return set(a) === set(b);
}

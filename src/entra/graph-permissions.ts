import { distance } from "fastest-levenshtein";
import { OperationError, UsageError } from "../core/errors.js";
import type { AppRole, PermissionScope, ServicePrincipal } from "../tenant/directory/tenant-state.js";
import type { GraphApi } from "./graph-api.js";
import { MICROSOFT_GRAPH_APP_ID } from "./well-known.js";

export type PermissionKind = "delegated" | "application";

/** A permission of Microsoft Graph as a registration names it: its value and its id in the tenant. */
export interface PermissionRef {
  value: string;
  id: string;
}

export type GraphServicePrincipal = Pick<
  ServicePrincipal,
  "id" | "appId" | "displayName" | "oauth2PermissionScopes" | "appRoles"
>;

const FLAG: Record<PermissionKind, string> = {
  delegated: "--graph-permission",
  application: "--graph-app-permission",
};

/**
 * Microsoft Graph's permissions as the tenant's Microsoft Graph service principal publishes them
 * (`oauth2PermissionScopes` for delegated, `appRoles` for application): names resolve to ids here,
 * never from a list of our own.
 */
export class GraphPermissions {
  constructor(readonly servicePrincipal: GraphServicePrincipal) {}

  private entries(kind: PermissionKind): (PermissionScope | AppRole)[] {
    const all =
      kind === "delegated" ? this.servicePrincipal.oauth2PermissionScopes : this.servicePrincipal.appRoles;
    return all.filter((entry) => entry.isEnabled && entry.value);
  }

  find(kind: PermissionKind, value: string): PermissionRef | undefined {
    const wanted = value.toLowerCase();
    const found = this.entries(kind).find((entry) => entry.value!.toLowerCase() === wanted);
    return found ? { value: found.value!, id: found.id } : undefined;
  }

  /** The value a requested permission's id stands for (`Scope`: delegated, `Role`: application). */
  valueOf(id: string, type: "Scope" | "Role"): string | undefined {
    return this.entries(type === "Scope" ? "delegated" : "application").find((entry) => entry.id === id)
      ?.value as string | undefined;
  }

  /** Resolves names given with --graph-permission / --graph-app-permission, or says which is wrong. */
  resolve(kind: PermissionKind, values: string[]): PermissionRef[] {
    return values.map((value) => this.find(kind, value) ?? this.unknown(kind, value));
  }

  private unknown(kind: PermissionKind, value: string): never {
    const other: PermissionKind = kind === "delegated" ? "application" : "delegated";
    if (this.find(other, value)) {
      throw new UsageError(
        "UNKNOWN_GRAPH_PERMISSION",
        `${FLAG[kind]}: ${value} is not a ${kind} permission of Microsoft Graph, only an ${other} one.`,
        { suggestion: `pass it with ${FLAG[other]} ${value}, or choose a ${kind} permission.` },
      );
    }
    const nearest = nearestNames(
      value,
      this.entries(kind).map((entry) => entry.value!),
    );
    throw new UsageError(
      "UNKNOWN_GRAPH_PERMISSION",
      `${FLAG[kind]}: Microsoft Graph has no ${kind} permission ${value}.`,
      {
        suggestion: nearest.length
          ? `did you mean ${nearest.join(", ")}?`
          : "see the Microsoft Graph permissions reference for its names.",
      },
    );
  }
}

/**
 * The names closest to what was typed: case-insensitive edit distance, names that contain it (or
 * that it starts with) first; at most five, and none that differs in more than half its letters.
 */
export function nearestNames(typed: string, names: string[], limit = 5): string[] {
  const wanted = typed.toLowerCase();
  const scored = names.map((name) => {
    const lower = name.toLowerCase();
    const contains = lower.includes(wanted) || wanted.startsWith(lower);
    return { name, score: contains ? 0 : distance(wanted, lower), contains };
  });
  return scored
    .filter((entry) => entry.contains || entry.score <= Math.max(2, Math.floor(wanted.length / 2)))
    .sort((a, b) => a.score - b.score || a.name.length - b.name.length || a.name.localeCompare(b.name))
    .slice(0, limit)
    .map((entry) => entry.name);
}

interface GraphPermissionFlags {
  preset: string;
  graphPermission?: string[];
  graphAppPermission?: string[];
}

/** The Graph permission names a registration asks for: the flags, else User.Read (not for ci). */
export function wantedGraphPermissions(options: GraphPermissionFlags): {
  delegated: string[];
  application: string[];
} {
  return {
    delegated: options.graphPermission ?? (options.preset === "ci" ? [] : ["User.Read"]),
    application: options.graphAppPermission ?? [],
  };
}

/** Graph's permissions when a registration asks for any (one GET), else undefined. */
export async function graphPermissionsFor(
  graph: GraphApi,
  options: GraphPermissionFlags,
): Promise<GraphPermissions | undefined> {
  const { delegated, application } = wantedGraphPermissions(options);
  return delegated.length > 0 || application.length > 0 ? readGraphPermissions(graph) : undefined;
}

/** The tenant's Microsoft Graph service principal (one GET, only the fields names need), if any. */
export async function findGraphPermissions(graph: GraphApi): Promise<GraphPermissions | undefined> {
  const sp = await graph.get<GraphServicePrincipal>(
    `/servicePrincipals(appId='${MICROSOFT_GRAPH_APP_ID}')?$select=id,appId,displayName,oauth2PermissionScopes,appRoles`,
  );
  return sp ? new GraphPermissions(sp) : undefined;
}

export async function readGraphPermissions(graph: GraphApi): Promise<GraphPermissions> {
  const found = await findGraphPermissions(graph);
  if (!found) {
    throw new OperationError("GRAPH_NOT_IN_TENANT", "The tenant has no Microsoft Graph service principal.", {
      suggestion: "every Entra tenant has one; check that --tenant names an Entra tenant.",
    });
  }
  return found;
}

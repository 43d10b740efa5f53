import type {
  Application,
  AppRole,
  PermissionScope,
  PreAuthorizedApplication,
  RequiredResourceAccess,
} from "../../../tenant/directory/tenant-state.js";
import type { GraphPermissions } from "../../graph-permissions.js";
import { sameJson } from "../application-diff.js";
import { clientName, permissionName, resourceName } from "./names.js";

/**
 * A PATCH of an application, in words: what it adds, removes or changes compared with the
 * application before it, e.g. "remove web redirect URI https://…/oauth/callback".
 */
export function describePatch(
  body: Record<string, unknown>,
  before: Application,
  clientNames: Record<string, string> = {},
  graph?: GraphPermissions,
): string[] {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    switch (key) {
      case "displayName":
      case "signInAudience":
      case "serviceManagementReference":
      case "isFallbackPublicClient":
        lines.push(`set ${LABELS[key]} to ${show(value)} (was ${show(before[key])})`);
        break;
      case "identifierUris":
        lines.push(...listChanges("Application ID URI", before.identifierUris, value as string[]));
        break;
      case "web":
      case "spa":
      case "publicClient":
        lines.push(
          ...listChanges(
            `${LABELS[key]} redirect URI`,
            before[key].redirectUris,
            (value as { redirectUris: string[] }).redirectUris,
          ),
        );
        break;
      case "appRoles":
        lines.push(...entitlementChanges("app role", before.appRoles, value as AppRole[]));
        break;
      case "requiredResourceAccess":
        lines.push(
          ...permissionChanges(before.requiredResourceAccess, value as RequiredResourceAccess[], graph),
        );
        break;
      case "api":
        lines.push(...apiChanges(before, value as Application["api"], clientNames));
        break;
      default:
        lines.push(`update ${key}`);
    }
  }
  return lines;
}

const LABELS: Record<string, string> = {
  displayName: "the display name",
  signInAudience: "the sign-in audience",
  serviceManagementReference: "the service management reference",
  isFallbackPublicClient: "public client flows",
  web: "web",
  spa: "single-page app",
  publicClient: "public client",
};

function show(value: unknown): string {
  return value === null || value === undefined ? "nothing" : JSON.stringify(value);
}

function listChanges(label: string, before: string[], after: string[]): string[] {
  return [
    ...after.filter((item) => !before.includes(item)).map((item) => `add ${label} ${item}`),
    ...before.filter((item) => !after.includes(item)).map((item) => `remove ${label} ${item}`),
  ];
}

type Entitlement = PermissionScope | AppRole;

function entitlementChanges(kind: string, before: Entitlement[], after: Entitlement[]): string[] {
  const lines: string[] = [];
  for (const next of after) {
    const previous = before.find((entry) => entry.value === next.value);
    if (!previous) {
      lines.push(`add ${kind} ${next.value}${next.isEnabled ? "" : " (disabled)"}`);
      continue;
    }
    const fields = (entry: Entitlement) => entry as unknown as Record<string, unknown>;
    const changed = Object.keys(next).filter(
      (field) =>
        field !== "id" && field !== "isEnabled" && !sameJson(fields(next)[field], fields(previous)[field]),
    );
    if (previous.isEnabled && !next.isEnabled) lines.push(`disable ${kind} ${next.value}`);
    else if (changed.length > 0) lines.push(`change ${kind} ${next.value} (${changed.join(", ")})`);
    else if (!previous.isEnabled && next.isEnabled) lines.push(`enable ${kind} ${next.value}`);
  }
  for (const gone of before.filter((entry) => !after.some((next) => next.value === entry.value))) {
    lines.push(`remove ${kind} ${gone.value}`);
  }
  return lines;
}

function apiChanges(
  before: Application,
  api: Application["api"],
  clientNames: Record<string, string>,
): string[] {
  const lines: string[] = [];
  if (api.requestedAccessTokenVersion !== before.api.requestedAccessTokenVersion) {
    lines.push(
      `set the access token version to ${api.requestedAccessTokenVersion ?? "default"} (was ${before.api.requestedAccessTokenVersion ?? "default"})`,
    );
  }
  lines.push(
    ...entitlementChanges(
      "scope",
      before.api.oauth2PermissionScopes as Entitlement[],
      api.oauth2PermissionScopes as Entitlement[],
    ),
  );
  const scopeValue = (id: string) =>
    [...api.oauth2PermissionScopes, ...before.api.oauth2PermissionScopes].find((scope) => scope.id === id)
      ?.value ?? id;
  const scopes = (entry: PreAuthorizedApplication) =>
    entry.delegatedPermissionIds.map(scopeValue).sort().join(", ");
  const previous = before.api.preAuthorizedApplications;
  for (const entry of api.preAuthorizedApplications ?? []) {
    const was = previous.find((candidate) => candidate.appId.toLowerCase() === entry.appId.toLowerCase());
    const name = clientName(entry.appId, clientNames);
    if (!was) lines.push(`pre-authorize ${name} for ${scopes(entry)}`);
    else if (scopes(was) !== scopes(entry))
      lines.push(`pre-authorize ${name} for ${scopes(entry)} (was ${scopes(was)})`);
  }
  for (const gone of previous) {
    if (
      !(api.preAuthorizedApplications ?? []).some(
        (entry) => entry.appId.toLowerCase() === gone.appId.toLowerCase(),
      )
    ) {
      lines.push(`remove the pre-authorization of ${clientName(gone.appId, clientNames)}`);
    }
  }
  return lines;
}

function permissionChanges(
  before: RequiredResourceAccess[],
  after: RequiredResourceAccess[],
  graph: GraphPermissions | undefined,
): string[] {
  const flat = (entries: RequiredResourceAccess[]) =>
    entries.flatMap((entry) =>
      entry.resourceAccess.map((access) => ({ resourceAppId: entry.resourceAppId, ...access })),
    );
  const key = (p: { resourceAppId: string; id: string; type: string }) =>
    `${p.resourceAppId} ${p.type} ${p.id}`;
  const describe = (p: { resourceAppId: string; id: string; type: "Scope" | "Role" }) =>
    `${resourceName(p.resourceAppId)} ${permissionName(p.resourceAppId, p.id, p.type, graph)} (${p.type === "Scope" ? "delegated" : "application"})`;
  const was = flat(before);
  const next = flat(after);
  return [
    ...next.filter((p) => !was.some((w) => key(w) === key(p))).map((p) => `request ${describe(p)}`),
    ...was.filter((p) => !next.some((n) => key(n) === key(p))).map((p) => `stop requesting ${describe(p)}`),
  ];
}

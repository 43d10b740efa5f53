import type { ProjectApp } from "../../../core/project-config.js";
import type { Application } from "../../../tenant/directory/tenant-state.js";
import { applicationPatches } from "../application-diff.js";
import type { DesiredRegistration } from "../model.js";
import { MANAGED_SECRET_PREFIX } from "../steps/client-secret.js";
import { resourceName } from "./names.js";
import { describePatch } from "./patch-words.js";
import type { TenantRegistration } from "./tenant-registration.js";

/** A PATCH register would make, with what it changes in words. */
export interface DriftPatch {
  method: "PATCH";
  path: string;
  reason: string;
  changes: string[];
  body: Record<string, unknown>;
}

/** How the tenant differs from what register would make of the recorded registration. */
export interface Drift {
  inSync: boolean;
  patches: DriftPatch[];
  /** Differences outside the application object (service principal, credentials, consent, roles). */
  other: string[];
}

const DAY = 24 * 3600 * 1000;

export function registrationDrift(input: {
  desired: DesiredRegistration;
  tenant: TenantRegistration;
  record: ProjectApp;
  secretInEnv: boolean;
  now?: number;
}): Drift {
  const { desired, tenant } = input;
  let app = tenant.app;
  const patches = applicationPatches(desired, tenant.app).map((patch): DriftPatch => {
    const changes = describePatch(patch.body, app, tenant.clientNames, tenant.graphPermissions);
    app = { ...app, ...(patch.body as Partial<Application>) };
    return {
      method: "PATCH",
      path: `/applications/${tenant.app.id}`,
      reason: patch.reason,
      changes: changes.length > 0 ? changes : [patch.reason],
      body: patch.body,
    };
  });
  const other = [
    ...(tenant.servicePrincipal ? [] : ["create the missing service principal"]),
    ...secretDrift(input),
    ...federatedDrift(desired, tenant, input.record),
    ...(tenant.servicePrincipal ? [...consentDrift(desired, tenant), ...roleDrift(desired, tenant)] : []),
  ];
  return { inSync: patches.length === 0 && other.length === 0, patches, other };
}

/** What ensureClientSecret would do: keep one usable managed secret, add one when there is none. */
function secretDrift(input: Parameters<typeof registrationDrift>[0]): string[] {
  const { desired, tenant, record, secretInEnv } = input;
  const now = input.now ?? Date.now();
  const managed = tenant.app.passwordCredentials.filter((c) =>
    c.displayName?.startsWith(MANAGED_SECRET_PREFIX),
  );
  if (desired.credential.kind !== "secret") {
    return managed.map(
      (c) =>
        `remove client secret ${c.keyId} (the registration uses ${desired.credential.kind === "none" ? "no secret" : `a ${desired.credential.kind} credential`})`,
    );
  }
  const recorded = tenant.app.passwordCredentials.find((c) => c.keyId === record.secret?.keyId);
  const lines: string[] = [];
  if (!record.secret) lines.push("add a client secret (mcp-entra.json records none)");
  else if (!recorded)
    lines.push(`add a client secret (the one mcp-entra.json records, ${record.secret.keyId}, is gone)`);
  else if (!secretInEnv) lines.push("add a client secret (.env holds no value for it)");
  else if (Date.parse(recorded.endDateTime) <= now + DAY) {
    lines.push(`replace the client secret that expires ${recorded.endDateTime.slice(0, 10)}`);
  }
  const keeps = lines.length === 0 ? recorded?.keyId : undefined;
  for (const stale of managed.filter((c) => c.keyId !== keeps)) {
    lines.push(`remove client secret ${stale.keyId} (${stale.displayName}; mcp-entra keeps one)`);
  }
  return lines;
}

function federatedDrift(
  desired: DesiredRegistration,
  tenant: TenantRegistration,
  record: ProjectApp,
): string[] {
  const lines: string[] = [];
  for (const wanted of desired.federatedCredentials) {
    const current = tenant.federatedCredentials.find((c) => c.name === wanted.name);
    if (!current) lines.push(`add federated credential ${wanted.name} (${wanted.subject})`);
    else if (
      current.issuer !== wanted.issuer ||
      current.subject !== wanted.subject ||
      [...current.audiences].sort().join(" ") !== [...wanted.audiences].sort().join(" ")
    ) {
      lines.push(`update federated credential ${wanted.name} to ${wanted.subject}`);
    }
  }
  for (const stale of tenant.federatedCredentials) {
    const managed = record.federatedCredentials.includes(stale.name);
    if (managed && !desired.federatedCredentials.some((wanted) => wanted.name === stale.name)) {
      lines.push(`remove federated credential ${stale.name}`);
    }
  }
  return lines;
}

function consentDrift(desired: DesiredRegistration, tenant: TenantRegistration): string[] {
  if (!desired.adminConsent) return [];
  const lines: string[] = [];
  for (const permission of desired.requiredResourceAccess.filter((entry) => entry.scopes.length > 0)) {
    const grant = tenant.grants.find(
      (g) => g.consentType === "AllPrincipals" && g.resourceAppId === permission.resourceAppId,
    );
    const granted = new Set(grant?.scope.split(" ").filter(Boolean) ?? []);
    const wanted = permission.scopes.map((scope) => scope.value);
    if (wanted.length !== granted.size || wanted.some((scope) => !granted.has(scope))) {
      lines.push(
        `grant admin consent to ${resourceName(permission.resourceAppId)} ${wanted.join(" ")}${grant ? ` (granted: ${grant.scope || "nothing"})` : ""}`,
      );
    }
  }
  for (const permission of desired.requiredResourceAccess) {
    const held = tenant.roleAssignments.filter((a) => a.resourceAppId === permission.resourceAppId);
    for (const { value } of permission.roles.filter(
      (role) => !held.some((a) => a.roleValue === role.value),
    )) {
      lines.push(`grant admin consent to ${resourceName(permission.resourceAppId)} ${value} (application)`);
    }
  }
  return lines;
}

function roleDrift(desired: DesiredRegistration, tenant: TenantRegistration): string[] {
  const lines: string[] = [];
  for (const { resourceAppId, roleValues } of desired.roleAssignments) {
    const held = tenant.roleAssignments.filter((a) => a.resourceAppId === resourceAppId);
    for (const value of roleValues.filter((v) => !held.some((a) => a.roleValue === v))) {
      lines.push(`assign app role ${value} of the API ${resourceAppId}`);
    }
    for (const stale of held.filter((a) => !roleValues.includes(a.roleValue))) {
      lines.push(`remove app role ${stale.roleValue} of the API ${resourceAppId}`);
    }
  }
  return lines;
}

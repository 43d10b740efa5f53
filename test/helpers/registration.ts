import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { expect } from "vitest";
import { readEnvFile } from "../../src/core/env-file.js";
import { type ProjectConfig, readProjectConfig } from "../../src/core/project-config.js";
import type { Ui } from "../../src/core/ui.js";
import { type RegisterDeps, runRegister } from "../../src/entra/registration/run-register.js";
import { MANAGED_SECRET_PREFIX } from "../../src/entra/registration/steps/client-secret.js";
import { MICROSOFT_SERVICES_TENANT_ID } from "../../src/entra/well-known.js";
import type { TenantState } from "../../src/tenant/directory/tenant-state.js";
import type { DevTenant } from "../../src/tenant/index.js";
import { captureUi } from "./capture-ui.js";
import { devTarget } from "./dev-target.js";

/** A retry policy that keeps fault-injection tests fast: small backoff, Retry-After still honoured. */
export const FAST_RETRY: RegisterDeps["retry"] = { baseDelayMs: 20, maxDelayMs: 200, timeoutMs: 120_000 };

/**
 * `register` run in-process against a test's dev tenant (signing in with real msal-node), with the
 * output captured: `const register = registerWith(tenant, home); await register(dir, { preset: "remote" })`;
 * `tweak` may replace parts of the Ui (e.g. a spinner that stops the run at a step).
 */
export function registerWith(tenant: () => DevTenant, home: () => string, retry?: RegisterDeps["retry"]) {
  return async (dir: string, flags: Record<string, unknown>, tweak?: (ui: Ui) => void) => {
    const capture = captureUi();
    tweak?.(capture.ui);
    const result = await runRegister(
      { dir, ...flags },
      { ui: capture.ui, target: async () => devTarget(tenant(), home()), retry },
    );
    return { result, output: capture.all(), capture };
  };
}

/** What register wrote in a project folder: mcp-entra.json (parsed and raw) and .env. */
export async function projectFiles(dir: string): Promise<{
  config: ProjectConfig;
  configText: string;
  env: Record<string, string>;
}> {
  return {
    config: await readProjectConfig(dir),
    configText: await readFile(join(dir, "mcp-entra.json"), "utf8"),
    env: await readEnvFile(join(dir, ".env")),
  };
}

function duplicates<T>(items: T[], key: (item: T) => string): string[] {
  const seen = new Map<string, number>();
  for (const item of items) seen.set(key(item), (seen.get(key(item)) ?? 0) + 1);
  return [...seen].filter(([, count]) => count > 1).map(([value]) => value);
}

/**
 * The tenant holds no duplicate and no orphaned object: one app per uniqueName, one service principal
 * per app, at most one secret managed by mcp-entra per app, one grant per client/resource/consent,
 * one assignment per principal/resource/role, one federated credential per issuer+subject (and
 * name), one certificate per thumbprint; grants and assignments name principals that exist.
 */
export function assertNoDuplicates(state: TenantState): void {
  const apps = state.applications;
  expect(
    duplicates(
      apps.filter((app) => app.uniqueName),
      (app) => app.uniqueName!.toLowerCase(),
    ),
  ).toEqual([]);
  expect(duplicates(state.servicePrincipals, (sp) => sp.appId)).toEqual([]);
  const appIds = new Set(apps.map((app) => app.appId));
  const spIds = new Set(state.servicePrincipals.map((sp) => sp.id));
  for (const app of apps) {
    const managed = app.passwordCredentials.filter((c) => c.displayName?.startsWith(MANAGED_SECRET_PREFIX));
    expect(managed.length, `managed secrets of ${app.displayName}`).toBeLessThanOrEqual(1);
    expect(duplicates(app.keyCredentials, (c) => c.customKeyIdentifier)).toEqual([]);
    const federated = state.federatedIdentityCredentials[app.id] ?? [];
    expect(duplicates(federated, (c) => `${c.issuer} ${c.subject}`)).toEqual([]);
    expect(duplicates(federated, (c) => c.name.toLowerCase())).toEqual([]);
  }
  for (const sp of state.servicePrincipals.filter(
    (sp) => sp.appOwnerOrganizationId !== MICROSOFT_SERVICES_TENANT_ID,
  )) {
    expect(appIds.has(sp.appId), `service principal ${sp.displayName} has its application`).toBe(true);
  }
  expect(
    duplicates(
      state.oauth2PermissionGrants,
      (g) => `${g.clientId} ${g.resourceId} ${g.consentType} ${g.principalId}`,
    ),
  ).toEqual([]);
  for (const grant of state.oauth2PermissionGrants) {
    expect(spIds.has(grant.clientId) && spIds.has(grant.resourceId)).toBe(true);
  }
  expect(
    duplicates(state.appRoleAssignments, (a) => `${a.principalId} ${a.resourceId} ${a.appRoleId}`),
  ).toEqual([]);
  for (const assignment of state.appRoleAssignments) expect(spIds.has(assignment.resourceId)).toBe(true);
  for (const objectId of Object.keys(state.federatedIdentityCredentials)) {
    expect(apps.some((app) => app.id === objectId)).toBe(true);
  }
}

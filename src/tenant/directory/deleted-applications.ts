import { removeServicePrincipal } from "./object-factories.js";
import type { Application, TenantState } from "./tenant-state.js";

// https://learn.microsoft.com/en-us/graph/api/resources/directory-deleteditems
/**
 * Deletion as Entra does it: a deleted application goes to the deleted items for 30 days, with its
 * secrets, certificates, federated credentials and owners, and can be restored or deleted for good.
 * Its service principal is deleted at once (Entra soft-deletes it too and restores it separately;
 * here it is gone, and the next `register` or consent creates a new one).
 */
export const DELETED_ITEM_RETENTION_MS = 30 * 24 * 3600 * 1000;

export function softDeleteApplication(state: TenantState, application: Application, nowIso: string): void {
  state.applications = state.applications.filter((candidate) => candidate.id !== application.id);
  for (const sp of state.servicePrincipals.filter((candidate) => candidate.appId === application.appId)) {
    removeServicePrincipal(state, sp);
  }
  application.deletedDateTime = nowIso;
  state.deletedApplications = [...(state.deletedApplications ?? []), application];
}

/** The deleted applications still restorable at `nowMs` (older ones are purged). */
export function deletedApplications(state: TenantState, nowMs: number): Application[] {
  const all = state.deletedApplications ?? [];
  for (const app of all) {
    if (Date.parse(app.deletedDateTime ?? "") + DELETED_ITEM_RETENTION_MS <= nowMs)
      purgeApplication(state, app);
  }
  return state.deletedApplications ?? [];
}

export function restoreApplication(state: TenantState, application: Application): void {
  state.deletedApplications = (state.deletedApplications ?? []).filter((app) => app.id !== application.id);
  application.deletedDateTime = null;
  state.applications.push(application);
}

/** Permanent deletion: the application, its secrets, owners and federated credentials are gone. */
export function purgeApplication(state: TenantState, application: Application): void {
  state.deletedApplications = (state.deletedApplications ?? []).filter((app) => app.id !== application.id);
  for (const credential of application.passwordCredentials) delete state.secretHashes[credential.keyId];
  delete state.owners[application.id];
  delete state.federatedIdentityCredentials[application.id];
}

import type { Application, ServicePrincipal } from "../directory/tenant-state.js";
import type { GraphCall, SegmentKey } from "./dispatch.js";
import { badRequest, notFound } from "./errors.js";

/**
 * Finds directory objects by key the way Graph does, including objects that are still
 * "replicating" (the replication-delay fault): those are invisible, so reads and writes of them
 * answer 404 Request_ResourceNotFound and lists leave them out.
 */

export function visible(call: GraphCall, id: string): boolean {
  return !call.ctx.faults.isReplicating(id);
}

function keyProperty(key: SegmentKey, allowed: string[], type: string): string {
  if (key.property === undefined) return "id";
  const match = allowed.find((name) => name.toLowerCase() === key.property!.toLowerCase());
  if (!match) throw badRequest(`The property '${key.property}' is not an alternate key of type '${type}'.`);
  return match;
}

function visibleOr404<T extends { id: string }>(call: GraphCall, found: T | undefined, key: SegmentKey): T {
  if (!found) throw notFound(key.value);
  if (!visible(call, found.id)) {
    call.markReplication();
    throw notFound(key.value);
  }
  return found;
}

/** The application named by a path key, or undefined when there is none (replicating counts as none). */
export function applicationForKey(call: GraphCall, key: SegmentKey): Application | undefined {
  const property = keyProperty(key, ["appId", "uniqueName"], "application");
  const wanted = key.value.toLowerCase();
  const found = call.ctx.store.state.applications.find((app) => {
    const value = property === "id" ? app.id : property === "appId" ? app.appId : app.uniqueName;
    return value?.toLowerCase() === wanted;
  });
  if (found && !visible(call, found.id)) {
    call.markReplication();
    return undefined;
  }
  return found;
}

export function findApplication(call: GraphCall, key: SegmentKey): Application {
  return visibleOr404(call, applicationForKey(call, key) ?? undefined, key);
}

export function visibleApplications(call: GraphCall): Application[] {
  return call.ctx.store.state.applications.filter((app) => visible(call, app.id));
}

export function findServicePrincipal(call: GraphCall, key: SegmentKey): ServicePrincipal {
  const property = keyProperty(key, ["appId"], "servicePrincipal");
  const wanted = key.value.toLowerCase();
  const found = call.ctx.store.state.servicePrincipals.find(
    (sp) => (property === "id" ? sp.id : sp.appId).toLowerCase() === wanted,
  );
  return visibleOr404(call, found, key);
}

export function visibleServicePrincipals(call: GraphCall): ServicePrincipal[] {
  return call.ctx.store.state.servicePrincipals.filter((sp) => visible(call, sp.id));
}

/** A service principal referenced by id in a request body; undefined when missing or replicating. */
export function referencedServicePrincipal(call: GraphCall, id: unknown): ServicePrincipal | undefined {
  if (typeof id !== "string") return undefined;
  const sp = call.ctx.store.state.servicePrincipals.find((candidate) => candidate.id === id.toLowerCase());
  if (sp && !visible(call, sp.id)) {
    call.markReplication();
    return undefined;
  }
  return sp;
}

import { isGuid } from "../../entra/well-known.js";
import { applicationByAppId } from "../directory/lookups.js";
import { newServicePrincipal, removeServicePrincipal } from "../directory/object-factories.js";
import type { ServicePrincipal, TenantState } from "../directory/tenant-state.js";
import { type GraphCaller, holds } from "./auth.js";
import type { GraphCall, GraphResult, GraphRoute } from "./dispatch.js";
import {
  backingApplicationNotLocal,
  badRequest,
  conflict,
  insufficientPrivileges,
  invalidValue,
  noBackingApplication,
} from "./errors.js";
import { findServicePrincipal, visible, visibleServicePrincipals } from "./lookup.js";
import { addOwner } from "./owners.js";
import {
  applicationReadReach,
  applicationWriteReach,
  isOwner,
  type Reach,
  requireApplicationAccess,
  requireReach,
} from "./permissions.js";
import { collectionResponse, entityResponse } from "./query.js";
import { SERVICE_PRINCIPAL, serializeServicePrincipal } from "./serialize.js";

/** /servicePrincipals: create `{appId}`, get (also by `(appId='…')`), list/filter, DELETE. */

function reachable(state: TenantState, caller: GraphCaller, sp: ServicePrincipal, reach: Reach): boolean {
  if (reach === "all") return true;
  if (reach === "none") return false;
  const app = applicationByAppId(state, sp.appId);
  // Microsoft's own service principals (no application in this tenant) are readable by every app.
  if (!app) return true;
  return isOwner(state, sp.id, caller) || isOwner(state, app.id, caller);
}

function listServicePrincipals(call: GraphCall): GraphResult {
  const reach = applicationReadReach(call.caller);
  requireReach(reach);
  const state = call.ctx.store.state;
  const items = visibleServicePrincipals(call)
    .filter((sp) => reachable(state, call.caller, sp, reach))
    .map((sp) => serializeServicePrincipal(state, sp));
  return collectionResponse(call, SERVICE_PRINCIPAL, "servicePrincipals", "servicePrincipals", items);
}

function getServicePrincipal(call: GraphCall): GraphResult {
  const sp = findServicePrincipal(call, call.keys[0]!);
  const state = call.ctx.store.state;
  if (!reachable(state, call.caller, sp, applicationReadReach(call.caller))) throw insufficientPrivileges();
  return entityResponse(call, SERVICE_PRINCIPAL, "servicePrincipals", serializeServicePrincipal(state, sp));
}

const WRITABLE = ["appId", "accountEnabled", "appRoleAssignmentRequired", "tags"];

async function createServicePrincipal(call: GraphCall): Promise<GraphResult> {
  const { ctx, body } = call;
  const reach = applicationWriteReach(call.caller);
  requireReach(reach);
  for (const key of Object.keys(body)) {
    if (!key.includes("@odata.") && !WRITABLE.includes(key)) {
      throw badRequest(`Property '${key}' does not exist as a declared property or extension property.`);
    }
  }
  const appId = body.appId;
  if (typeof appId !== "string" || !isGuid(appId)) throw invalidValue("appId", "ServicePrincipal");
  const state = ctx.store.state;
  const app = applicationByAppId(state, appId);
  const inUse = () =>
    conflict(
      `The service principal cannot be created, updated, or restored because the service principal name ${appId} is already in use.`,
    );
  if (!app) {
    if (state.servicePrincipals.some((sp) => sp.appId === appId.toLowerCase())) throw inUse();
    throw noBackingApplication(appId);
  }
  if (!visible(call, app.id)) {
    // Graph cannot see the new application yet: callers authorised through ownership get a 403.
    call.markReplication();
    const viaOwnership = reach === "owned" || (call.caller.kind === "user" && !call.caller.isAdmin);
    throw viaOwnership ? backingApplicationNotLocal() : noBackingApplication(appId);
  }
  requireApplicationAccess(state, call.caller, app.id, true);
  if (state.servicePrincipals.some((sp) => sp.appId === app.appId)) throw inUse();
  const sp = newServicePrincipal(state, app, ctx.clock.iso());
  if (typeof body.accountEnabled === "boolean") sp.accountEnabled = body.accountEnabled;
  if (typeof body.appRoleAssignmentRequired === "boolean")
    sp.appRoleAssignmentRequired = body.appRoleAssignmentRequired;
  if (Array.isArray(body.tags)) sp.tags = body.tags.filter((tag): tag is string => typeof tag === "string");
  const owner = call.caller.kind === "app" && reach === "owned" ? call.caller.servicePrincipalId : undefined;
  await ctx.store.commit((draft) => {
    draft.servicePrincipals.push(sp);
    if (owner) addOwner(draft, sp.id, owner);
  });
  ctx.faults.markCreated(sp.id);
  return entityResponse(
    call,
    SERVICE_PRINCIPAL,
    "servicePrincipals",
    serializeServicePrincipal(state, sp),
    201,
  );
}

async function deleteServicePrincipal(call: GraphCall): Promise<GraphResult> {
  const sp = findServicePrincipal(call, call.keys[0]!);
  const state = call.ctx.store.state;
  const reach = applicationWriteReach(call.caller);
  const app = applicationByAppId(state, sp.appId);
  const allowed =
    reach === "all" || (reach === "owned" && app !== undefined && reachable(state, call.caller, sp, reach));
  if (!allowed || (!app && !holds(call.caller, "Application.ReadWrite.All", "Directory.ReadWrite.All"))) {
    throw insufficientPrivileges();
  }
  await call.ctx.store.commit((draft) => removeServicePrincipal(draft, sp));
  return { status: 204 };
}

export const servicePrincipalRoutes: GraphRoute[] = [
  { method: "GET", path: "servicePrincipals", handler: listServicePrincipals },
  { method: "POST", path: "servicePrincipals", handler: createServicePrincipal },
  { method: "GET", path: "servicePrincipals/{}", handler: getServicePrincipal },
  { method: "DELETE", path: "servicePrincipals/{}", handler: deleteServicePrincipal },
];

import { newApplication, removeApplication } from "../directory/object-factories.js";
import type { Application } from "../directory/tenant-state.js";
import { applyApplicationBody } from "./application-input.js";
import { callerObjectId } from "./auth.js";
import type { GraphCall, GraphResult, GraphRoute } from "./dispatch.js";
import { invalidValue, notFound } from "./errors.js";
import { applicationForKey, findApplication, visibleApplications } from "./lookup.js";
import { addOwner, referencedObjectId } from "./owners.js";
import {
  applicationReadReach,
  applicationWriteReach,
  isOwner,
  requireApplicationAccess,
  requireReach,
} from "./permissions.js";
import { collectionResponse, entityResponse } from "./query.js";
import { APPLICATION, serializeApplication } from "./serialize.js";
import { validateApplication } from "./validate-application.js";

/** /applications: create, list, get, PATCH (incl. upsert by uniqueName), DELETE. */

function listApplications(call: GraphCall): GraphResult {
  const reach = applicationReadReach(call.caller);
  requireReach(reach);
  const state = call.ctx.store.state;
  const apps = visibleApplications(call).filter(
    (app) => reach === "all" || isOwner(state, app.id, call.caller),
  );
  return collectionResponse(
    call,
    APPLICATION,
    "applications",
    "applications",
    apps.map((app) => serializeApplication(state, app)),
  );
}

function getApplication(call: GraphCall): GraphResult {
  const app = findApplication(call, call.keys[0]!);
  requireApplicationAccess(call.ctx.store.state, call.caller, app.id, false);
  return entityResponse(call, APPLICATION, "applications", serializeApplication(call.ctx.store.state, app));
}

/** Creates an application from a body; `uniqueName` comes from the key when upserting. */
async function create(call: GraphCall, uniqueName?: string): Promise<GraphResult> {
  const reach = applicationWriteReach(call.caller);
  requireReach(reach);
  const { ctx } = call;
  const state = ctx.store.state;
  if (typeof call.body.displayName !== "string") throw invalidValue("displayName", "Application");
  const app = newApplication({ displayName: call.body.displayName }, ctx.clock.iso());
  const { ownerReferences } = applyApplicationBody(app, call.body, undefined);
  if (uniqueName !== undefined) {
    if (app.uniqueName !== null && app.uniqueName !== uniqueName)
      throw invalidValue("uniqueName", "Application");
    app.uniqueName = uniqueName;
  }
  validateApplication(state, app, undefined, (id) => ctx.faults.isReplicating(id));
  const ownerIds = ownerReferences.map((reference) => referencedObjectId(state, reference));
  const creator = callerObjectId(call.caller);
  // Delegated callers, and apps holding only Application.ReadWrite.OwnedBy, own what they create.
  if (creator && (call.caller.kind === "user" || reach === "owned")) ownerIds.unshift(creator);
  await ctx.store.commit((draft) => {
    draft.applications.push(app);
    for (const ownerId of ownerIds) addOwner(draft, app.id, ownerId);
  });
  ctx.faults.markCreated(app.id);
  for (const scope of app.api.oauth2PermissionScopes) ctx.faults.markCreated(scope.id);
  return entityResponse(call, APPLICATION, "applications", serializeApplication(state, app), 201);
}

async function update(call: GraphCall, app: Application): Promise<GraphResult> {
  const { ctx } = call;
  const state = ctx.store.state;
  requireApplicationAccess(state, call.caller, app.id, true);
  const next = structuredClone(app);
  applyApplicationBody(next, call.body, app);
  validateApplication(state, next, app, (id) => ctx.faults.isReplicating(id));
  const before = new Set(app.api.oauth2PermissionScopes.map((scope) => scope.id));
  await ctx.store.commit(() => {
    Object.assign(app, next);
  });
  for (const scope of next.api.oauth2PermissionScopes) {
    if (!before.has(scope.id)) ctx.faults.markCreated(scope.id);
  }
  return { status: 204 };
}

async function patchApplication(call: GraphCall): Promise<GraphResult> {
  const key = call.keys[0]!;
  const existing = applicationForKey(call, key);
  if (existing) return update(call, existing);
  const prefer = String(call.headers.prefer ?? "").toLowerCase();
  if (key.property?.toLowerCase() === "uniquename" && prefer.includes("create-if-missing")) {
    return create(call, key.value);
  }
  throw notFound(key.value);
}

async function deleteApplication(call: GraphCall): Promise<GraphResult> {
  const app = findApplication(call, call.keys[0]!);
  requireApplicationAccess(call.ctx.store.state, call.caller, app.id, true);
  await call.ctx.store.commit((draft) => removeApplication(draft, app));
  return { status: 204 };
}

export const applicationRoutes: GraphRoute[] = [
  { method: "GET", path: "applications", handler: listApplications },
  { method: "POST", path: "applications", handler: (call) => create(call) },
  { method: "GET", path: "applications/{}", handler: getApplication },
  { method: "PATCH", path: "applications/{}", handler: patchApplication },
  { method: "DELETE", path: "applications/{}", handler: deleteApplication },
];

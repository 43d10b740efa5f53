import {
  deletedApplications,
  purgeApplication,
  restoreApplication,
} from "../directory/deleted-applications.js";
import type { Application } from "../directory/tenant-state.js";
import type { GraphCall, GraphResult, GraphRoute } from "./dispatch.js";
import { notFound } from "./errors.js";
import { applicationReadReach, isOwner, requireApplicationAccess, requireReach } from "./permissions.js";
import { collectionResponse, entityResponse } from "./query.js";
import { APPLICATION, serializeApplication } from "./serialize.js";

// https://learn.microsoft.com/en-us/graph/api/directory-deleteditems-list
// https://learn.microsoft.com/en-us/graph/api/directory-deleteditems-restore
// https://learn.microsoft.com/en-us/graph/api/directory-deleteditems-delete
/** /directory/deletedItems for applications: list, get, restore, permanent delete. */

const CONTEXT = "directory/deletedItems/microsoft.graph.application";

function listDeleted(call: GraphCall): GraphResult {
  const reach = applicationReadReach(call.caller);
  requireReach(reach);
  const state = call.ctx.store.state;
  const apps = deletedApplications(state, call.ctx.clock.now()).filter(
    (app) => reach === "all" || isOwner(state, app.id, call.caller),
  );
  const items = apps.map((app) => ({
    "@odata.type": "#microsoft.graph.application",
    ...serializeApplication(state, app),
  }));
  return collectionResponse(call, APPLICATION, CONTEXT, CONTEXT, items);
}

function findDeleted(call: GraphCall, write: boolean): Application {
  const id = call.keys[0]!.value;
  const app = deletedApplications(call.ctx.store.state, call.ctx.clock.now()).find(
    (candidate) => candidate.id === id,
  );
  if (!app) throw notFound(id);
  requireApplicationAccess(call.ctx.store.state, call.caller, app.id, write);
  return app;
}

function entity(call: GraphCall, app: Application, status = 200): GraphResult {
  const body = {
    "@odata.type": "#microsoft.graph.application",
    ...serializeApplication(call.ctx.store.state, app),
  };
  return entityResponse(call, APPLICATION, "directoryObjects", body, status);
}

async function restore(call: GraphCall): Promise<GraphResult> {
  const app = findDeleted(call, true);
  await call.ctx.store.commit((draft) => restoreApplication(draft, app));
  return entity(call, app);
}

async function deleteForGood(call: GraphCall): Promise<GraphResult> {
  const app = findDeleted(call, true);
  await call.ctx.store.commit((draft) => purgeApplication(draft, app));
  return { status: 204 };
}

export const deletedItemRoutes: GraphRoute[] = [
  { method: "GET", path: "directory/deletedItems/microsoft.graph.application", handler: listDeleted },
  {
    method: "GET",
    path: "directory/deletedItems/{}",
    handler: (call) => entity(call, findDeleted(call, false)),
  },
  { method: "POST", path: "directory/deletedItems/{}/restore", handler: restore },
  { method: "DELETE", path: "directory/deletedItems/{}", handler: deleteForGood },
];

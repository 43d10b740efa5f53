import { isGuid } from "../../entra/well-known.js";
import type { TenantState } from "../directory/tenant-state.js";
import type { GraphCall, GraphRoute } from "./dispatch.js";
import { badRequest, conflict, notFound } from "./errors.js";
import { findApplication, visible } from "./lookup.js";
import { requireApplicationAccess } from "./permissions.js";
import { collectionResponse } from "./query.js";
import { DIRECTORY_OBJECT, serializeDirectoryObject } from "./serialize.js";

/**
 * Owners of applications: `owners@odata.bind` at create, `GET …/owners`, `POST …/owners/$ref`,
 * `DELETE …/owners/{id}/$ref`. Owners are users or service principals.
 */

/** The object id in a reference such as `https://graph.microsoft.com/v1.0/directoryObjects/{id}`. */
export function referencedObjectId(state: TenantState, reference: string): string {
  const id = reference
    .replace(/\/\$ref$/, "")
    .split("/")
    .pop()
    ?.replace(/^.*\('?([^')]*)'?\)$/, "$1");
  if (!id || !isGuid(id)) throw badRequest(`Invalid object identifier '${id ?? reference}'.`);
  const lower = id.toLowerCase();
  const exists =
    state.users.some((user) => user.id === lower) || state.servicePrincipals.some((sp) => sp.id === lower);
  if (!exists) throw notFound(lower);
  return lower;
}

export function addOwner(state: TenantState, objectId: string, ownerId: string): boolean {
  const owners = state.owners[objectId] ?? [];
  if (owners.includes(ownerId)) return false;
  state.owners[objectId] = [...owners, ownerId];
  return true;
}

async function listOwners(call: GraphCall) {
  const app = findApplication(call, call.keys[0]!);
  requireApplicationAccess(call.ctx.store.state, call.caller, app.id, false);
  const state = call.ctx.store.state;
  const owners = (state.owners[app.id] ?? [])
    .filter((id) => visible(call, id))
    .map((id) => serializeDirectoryObject(state, id))
    .filter((owner): owner is Record<string, unknown> => owner !== undefined);
  return collectionResponse(
    call,
    DIRECTORY_OBJECT,
    "directoryObjects",
    `applications/${app.id}/owners`,
    owners,
  );
}

async function addOwnerReference(call: GraphCall) {
  const app = findApplication(call, call.keys[0]!);
  const state = call.ctx.store.state;
  requireApplicationAccess(state, call.caller, app.id, true);
  const reference = call.body["@odata.id"];
  if (typeof reference !== "string") throw badRequest("The request body must carry '@odata.id'.");
  const ownerId = referencedObjectId(state, reference);
  if ((state.owners[app.id] ?? []).includes(ownerId)) {
    throw conflict(
      "One or more added object references already exist for the following modified properties: 'owners'.",
    );
  }
  await call.ctx.store.commit((draft) => addOwner(draft, app.id, ownerId));
  return { status: 204 };
}

async function removeOwnerReference(call: GraphCall) {
  const app = findApplication(call, call.keys[0]!);
  const state = call.ctx.store.state;
  requireApplicationAccess(state, call.caller, app.id, true);
  const ownerId = call.keys[1]!.value.toLowerCase();
  const owners = state.owners[app.id] ?? [];
  if (!owners.includes(ownerId)) throw notFound(ownerId);
  await call.ctx.store.commit((draft) => {
    draft.owners[app.id] = owners.filter((id) => id !== ownerId);
  });
  return { status: 204 };
}

export const ownerRoutes: GraphRoute[] = [
  { method: "GET", path: "applications/{}/owners", handler: listOwners },
  { method: "POST", path: "applications/{}/owners/$ref", handler: addOwnerReference },
  { method: "DELETE", path: "applications/{}/owners/{}/$ref", handler: removeOwnerReference },
];

import { userByIdOrUpn } from "../directory/lookups.js";
import type { GraphCall, GraphResult, GraphRoute } from "./dispatch.js";
import { GraphError, notFound } from "./errors.js";
import { requireOrganizationRead, requireUserRead } from "./permissions.js";
import { collectionResponse, entityResponse } from "./query.js";
import { DIRECTORY_OBJECT, serializeOrganization, serializeUser, USER } from "./serialize.js";

/** /me, /users, /users/{id | userPrincipalName}, /organization (with the tenant's verified domain). */

function me(call: GraphCall): GraphResult {
  if (call.caller.kind !== "user" || !call.caller.userId) {
    throw new GraphError(400, "BadRequest", "/me request is only valid with delegated authentication flow.");
  }
  requireUserRead(call.caller, call.caller.userId);
  const user = userByIdOrUpn(call.ctx.store.state, call.caller.userId);
  if (!user) throw notFound(call.caller.userId);
  return entityResponse(call, USER, "users", serializeUser(user));
}

function listUsers(call: GraphCall): GraphResult {
  requireUserRead(call.caller, undefined);
  const items = call.ctx.store.state.users.map(serializeUser);
  return collectionResponse(call, USER, "users", "users", items);
}

function getUser(call: GraphCall): GraphResult {
  const key = call.keys[0]!;
  const user = userByIdOrUpn(call.ctx.store.state, key.value);
  requireUserRead(call.caller, user?.id);
  if (!user) throw notFound(key.value);
  return entityResponse(call, USER, "users", serializeUser(user));
}

function organization(call: GraphCall): GraphResult {
  requireOrganizationRead(call.caller);
  const org = serializeOrganization(call.ctx.store.state);
  return collectionResponse(
    call,
    { ...DIRECTORY_OBJECT, type: "organization" },
    "organization",
    "organization",
    [org],
  );
}

function organizationById(call: GraphCall): GraphResult {
  requireOrganizationRead(call.caller);
  const org = serializeOrganization(call.ctx.store.state);
  if (call.keys[0]!.value.toLowerCase() !== org.id) throw notFound(call.keys[0]!.value);
  return entityResponse(call, { ...DIRECTORY_OBJECT, type: "organization" }, "organization", org);
}

export const userRoutes: GraphRoute[] = [
  { method: "GET", path: "me", handler: me },
  { method: "GET", path: "users", handler: listUsers },
  { method: "GET", path: "users/{}", handler: getUser },
  { method: "GET", path: "organization", handler: organization },
  { method: "GET", path: "organization/{}", handler: organizationById },
];

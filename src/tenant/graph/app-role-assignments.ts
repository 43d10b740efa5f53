import { isGuid } from "../../entra/well-known.js";
import { applicationByAppId } from "../directory/lookups.js";
import { newAppRoleAssignment } from "../directory/object-factories.js";
import type { AppRole, AppRoleAssignment, ServicePrincipal, TenantState } from "../directory/tenant-state.js";
import type { GraphCall, GraphResult, GraphRoute } from "./dispatch.js";
import { badRequest, invalidValue, notFound } from "./errors.js";
import { findServicePrincipal, visible } from "./lookup.js";
import { requireAssignmentRead, requireAssignmentWrite } from "./permissions.js";
import { collectionResponse, entityResponse } from "./query.js";
import { ASSIGNMENT, serializeAssignment } from "./serialize.js";

/**
 * App role assignments: `servicePrincipals/{resource}/appRoleAssignedTo` (who holds the resource's
 * roles) and `servicePrincipals/{principal}/appRoleAssignments` (what the principal holds). Granting
 * an application permission is an assignment of the API's role to the client's service principal.
 */
const DEFAULT_ACCESS_ROLE = "00000000-0000-0000-0000-000000000000";

function rolesOf(state: TenantState, sp: ServicePrincipal): AppRole[] {
  return applicationByAppId(state, sp.appId)?.appRoles ?? sp.appRoles;
}

interface Principal {
  id: string;
  displayName: string;
  type: AppRoleAssignment["principalType"];
}

function principalFor(call: GraphCall, id: unknown): Principal {
  const state = call.ctx.store.state;
  const wanted = typeof id === "string" ? id.toLowerCase() : "";
  const user = state.users.find((candidate) => candidate.id === wanted);
  if (user) return { id: user.id, displayName: user.displayName, type: "User" };
  const sp = state.servicePrincipals.find((candidate) => candidate.id === wanted);
  if (sp && visible(call, sp.id)) return { id: sp.id, displayName: sp.displayName, type: "ServicePrincipal" };
  if (sp) call.markReplication();
  throw badRequest("Not a valid reference update.");
}

async function assign(
  call: GraphCall,
  resource: ServicePrincipal,
  principal: Principal,
): Promise<GraphResult> {
  const state = call.ctx.store.state;
  const appRoleId = call.body.appRoleId;
  if (typeof appRoleId !== "string" || !isGuid(appRoleId))
    throw invalidValue("appRoleId", "AppRoleAssignment");
  const roleId = appRoleId.toLowerCase();
  const role = rolesOf(state, resource).find((candidate) => candidate.id === roleId && candidate.isEnabled);
  const memberType = principal.type === "User" ? "User" : "Application";
  const defaultAccess = roleId === DEFAULT_ACCESS_ROLE;
  if (!defaultAccess && !role) {
    throw badRequest(`Permission being assigned was not found on application '${resource.displayName}'.`);
  }
  if (role && !role.allowedMemberTypes.includes(memberType)) {
    throw badRequest(`The app role being assigned is not allowed for principals of type ${principal.type}.`);
  }
  const duplicate = state.appRoleAssignments.some(
    (existing) =>
      existing.principalId === principal.id &&
      existing.resourceId === resource.id &&
      existing.appRoleId === roleId,
  );
  if (duplicate) throw badRequest("Permission being assigned already exists on the object.");
  const assignment = newAppRoleAssignment(principal, resource, roleId, call.ctx.clock.iso());
  await call.ctx.store.commit((draft) => {
    draft.appRoleAssignments.push(assignment);
  });
  return entityResponse(call, ASSIGNMENT, "appRoleAssignments", serializeAssignment(assignment), 201);
}

function checkBodyId(value: unknown, expected: string, property: string): void {
  if (value !== undefined && (typeof value !== "string" || value.toLowerCase() !== expected)) {
    throw invalidValue(property, "AppRoleAssignment");
  }
}

async function assignTo(call: GraphCall): Promise<GraphResult> {
  const resource = findServicePrincipal(call, call.keys[0]!);
  requireAssignmentWrite(call.caller);
  checkBodyId(call.body.resourceId, resource.id, "resourceId");
  return assign(call, resource, principalFor(call, call.body.principalId));
}

async function assignFrom(call: GraphCall): Promise<GraphResult> {
  const principalSp = findServicePrincipal(call, call.keys[0]!);
  requireAssignmentWrite(call.caller);
  checkBodyId(call.body.principalId, principalSp.id, "principalId");
  const resourceId = typeof call.body.resourceId === "string" ? call.body.resourceId : "";
  const resource = call.ctx.store.state.servicePrincipals.find((sp) => sp.id === resourceId.toLowerCase());
  if (!resource || !visible(call, resource.id)) {
    if (resource) call.markReplication();
    throw badRequest("Not a valid reference update.");
  }
  return assign(call, resource, {
    id: principalSp.id,
    displayName: principalSp.displayName,
    type: "ServicePrincipal",
  });
}

function list(call: GraphCall, side: "resourceId" | "principalId", navigation: string): GraphResult {
  const sp = findServicePrincipal(call, call.keys[0]!);
  requireAssignmentRead(call.caller);
  const items = call.ctx.store.state.appRoleAssignments
    .filter((assignment) => assignment[side] === sp.id)
    .map(serializeAssignment);
  return collectionResponse(
    call,
    ASSIGNMENT,
    `servicePrincipals('${sp.id}')/${navigation}`,
    `servicePrincipals/${sp.id}/${navigation}`,
    items,
  );
}

async function remove(call: GraphCall, side: "resourceId" | "principalId"): Promise<GraphResult> {
  const sp = findServicePrincipal(call, call.keys[0]!);
  requireAssignmentWrite(call.caller);
  const id = call.keys[1]!.value;
  const assignment = call.ctx.store.state.appRoleAssignments.find(
    (candidate) => candidate.id === id && candidate[side] === sp.id,
  );
  if (!assignment) throw notFound(id);
  await call.ctx.store.commit((draft) => {
    draft.appRoleAssignments = draft.appRoleAssignments.filter((candidate) => candidate !== assignment);
  });
  return { status: 204 };
}

export const appRoleAssignmentRoutes: GraphRoute[] = [
  {
    method: "GET",
    path: "servicePrincipals/{}/appRoleAssignedTo",
    handler: (call) => list(call, "resourceId", "appRoleAssignedTo"),
  },
  { method: "POST", path: "servicePrincipals/{}/appRoleAssignedTo", handler: assignTo },
  {
    method: "DELETE",
    path: "servicePrincipals/{}/appRoleAssignedTo/{}",
    handler: (call) => remove(call, "resourceId"),
  },
  {
    method: "GET",
    path: "servicePrincipals/{}/appRoleAssignments",
    handler: (call) => list(call, "principalId", "appRoleAssignments"),
  },
  { method: "POST", path: "servicePrincipals/{}/appRoleAssignments", handler: assignFrom },
  {
    method: "DELETE",
    path: "servicePrincipals/{}/appRoleAssignments/{}",
    handler: (call) => remove(call, "principalId"),
  },
];

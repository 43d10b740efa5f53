import { newGrantId } from "../directory/object-factories.js";
import type { OAuth2PermissionGrant } from "../directory/tenant-state.js";
import { markConsentWritten } from "../server/propagation.js";
import type { GraphCall, GraphResult, GraphRoute } from "./dispatch.js";
import { badRequest, conflict, invalidValue, notFound } from "./errors.js";
import { findServicePrincipal, referencedServicePrincipal } from "./lookup.js";
import { requireGrantRead, requireGrantWrite } from "./permissions.js";
import { collectionResponse, entityResponse } from "./query.js";
import { GRANT, serializeGrant } from "./serialize.js";

/**
 * /oauth2PermissionGrants: delegated-permission consent. One grant per client, resource and
 * principal (or all principals); a second one is Graph's 409 "Permission entry already exists.",
 * and a scope change is a PATCH of `scope`. Scopes are values ("User.Read access_as_user").
 */
const RESOURCE = "OAuth2PermissionGrant";
const WRITABLE = ["clientId", "consentType", "principalId", "resourceId", "scope", "startTime", "expiryTime"];

function scopeOf(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value !== "string" || value.length > 3850) throw invalidValue("scope", RESOURCE);
  return value;
}

function checkProperties(body: Record<string, unknown>, allowed: string[]): void {
  for (const key of Object.keys(body)) {
    if (!key.includes("@odata.") && !allowed.includes(key)) {
      throw badRequest(`Property '${key}' does not exist as a declared property or extension property.`);
    }
  }
}

async function createGrant(call: GraphCall): Promise<GraphResult> {
  requireGrantWrite(call.caller);
  const { body, ctx } = call;
  checkProperties(body, WRITABLE);
  const client = referencedServicePrincipal(call, body.clientId);
  if (!client) throw invalidValue("clientId", RESOURCE);
  const resource = referencedServicePrincipal(call, body.resourceId);
  if (!resource) throw invalidValue("resourceId", RESOURCE);
  const consentType = body.consentType;
  if (consentType !== "AllPrincipals" && consentType !== "Principal")
    throw invalidValue("consentType", RESOURCE);
  let principalId: string | null = null;
  if (consentType === "Principal") {
    const wanted = typeof body.principalId === "string" ? body.principalId.toLowerCase() : "";
    const user = ctx.store.state.users.find((candidate) => candidate.id === wanted);
    if (!user) throw invalidValue("principalId", RESOURCE);
    principalId = user.id;
  } else if (body.principalId !== undefined && body.principalId !== null) {
    throw invalidValue("principalId", RESOURCE);
  }
  const duplicate = ctx.store.state.oauth2PermissionGrants.some(
    (grant) =>
      grant.clientId === client.id &&
      grant.resourceId === resource.id &&
      grant.consentType === consentType &&
      grant.principalId === principalId,
  );
  if (duplicate) throw conflict("Permission entry already exists.");
  const grant: OAuth2PermissionGrant = {
    id: newGrantId(),
    clientId: client.id,
    consentType,
    principalId,
    resourceId: resource.id,
    scope: scopeOf(body.scope),
  };
  await ctx.store.commit((state) => {
    state.oauth2PermissionGrants.push(grant);
  });
  markConsentWritten(ctx, grant.clientId, grant.resourceId);
  return entityResponse(call, GRANT, "oauth2PermissionGrants", serializeGrant(grant), 201);
}

function findGrant(call: GraphCall): OAuth2PermissionGrant {
  const id = call.keys[0]!.value;
  const grant = call.ctx.store.state.oauth2PermissionGrants.find((candidate) => candidate.id === id);
  if (!grant) throw notFound(id);
  return grant;
}

function listGrants(call: GraphCall): GraphResult {
  requireGrantRead(call.caller);
  const items = call.ctx.store.state.oauth2PermissionGrants.map(serializeGrant);
  return collectionResponse(call, GRANT, "oauth2PermissionGrants", "oauth2PermissionGrants", items);
}

function getGrant(call: GraphCall): GraphResult {
  requireGrantRead(call.caller);
  return entityResponse(call, GRANT, "oauth2PermissionGrants", serializeGrant(findGrant(call)));
}

async function patchGrant(call: GraphCall): Promise<GraphResult> {
  requireGrantWrite(call.caller);
  const grant = findGrant(call);
  checkProperties(call.body, ["scope", "expiryTime", "startTime"]);
  if (!("scope" in call.body)) return { status: 204 };
  const scope = scopeOf(call.body.scope);
  await call.ctx.store.commit(() => {
    grant.scope = scope;
  });
  markConsentWritten(call.ctx, grant.clientId, grant.resourceId);
  return { status: 204 };
}

async function deleteGrant(call: GraphCall): Promise<GraphResult> {
  requireGrantWrite(call.caller);
  const grant = findGrant(call);
  await call.ctx.store.commit((state) => {
    state.oauth2PermissionGrants = state.oauth2PermissionGrants.filter((candidate) => candidate !== grant);
  });
  return { status: 204 };
}

function grantsOfClient(call: GraphCall): GraphResult {
  const sp = findServicePrincipal(call, call.keys[0]!);
  requireGrantRead(call.caller);
  const items = call.ctx.store.state.oauth2PermissionGrants
    .filter((grant) => grant.clientId === sp.id)
    .map(serializeGrant);
  return collectionResponse(
    call,
    GRANT,
    "oauth2PermissionGrants",
    `servicePrincipals/${sp.id}/oauth2PermissionGrants`,
    items,
  );
}

export const grantRoutes: GraphRoute[] = [
  { method: "GET", path: "oauth2PermissionGrants", handler: listGrants },
  { method: "POST", path: "oauth2PermissionGrants", handler: createGrant },
  { method: "GET", path: "oauth2PermissionGrants/{}", handler: getGrant },
  { method: "PATCH", path: "oauth2PermissionGrants/{}", handler: patchGrant },
  { method: "DELETE", path: "oauth2PermissionGrants/{}", handler: deleteGrant },
  { method: "GET", path: "servicePrincipals/{}/oauth2PermissionGrants", handler: grantsOfClient },
];

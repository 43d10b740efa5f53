import { randomUUID } from "node:crypto";
import type { Application, FederatedIdentityCredential } from "../directory/tenant-state.js";
import type { GraphCall, GraphResult, GraphRoute, SegmentKey } from "./dispatch.js";
import { badRequest, conflict, GraphError, invalidValue, notFound } from "./errors.js";
import { findApplication } from "./lookup.js";
import { requireApplicationAccess } from "./permissions.js";
import { collectionResponse, entityResponse } from "./query.js";
import { FEDERATED_CREDENTIAL, serializeFederatedCredential } from "./serialize.js";

/**
 * `applications/{id}/federatedIdentityCredentials`: CRUD with Graph's rules — the name is 3–120
 * URL-friendly characters, immutable and an alternate key; issuer + subject are unique per app; one
 * audience; at most 20 per application.
 */
export const MAX_FEDERATED_CREDENTIALS = 20;
const RESOURCE = "FederatedIdentityCredential";
const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{2,119}$/;

function credentialsOf(call: GraphCall, app: Application): FederatedIdentityCredential[] {
  return call.ctx.store.state.federatedIdentityCredentials[app.id] ?? [];
}

function findCredential(
  call: GraphCall,
  app: Application,
  key: SegmentKey,
): FederatedIdentityCredential | undefined {
  if (key.property !== undefined && key.property.toLowerCase() !== "name") {
    throw badRequest(`The property '${key.property}' is not an alternate key of type '${RESOURCE}'.`);
  }
  const wanted = key.value.toLowerCase();
  return credentialsOf(call, app).find(
    (credential) =>
      (key.property === undefined && credential.id === wanted) || credential.name.toLowerCase() === wanted,
  );
}

function text(value: unknown, property: string, max = 600): string {
  if (typeof value !== "string" || value.trim() === "" || value.length > max)
    throw invalidValue(property, RESOURCE);
  return value;
}

/** Reads and checks a credential from a body; `existing` is the stored one for a PATCH. */
function readCredential(
  body: Record<string, unknown>,
  existing: FederatedIdentityCredential | undefined,
): FederatedIdentityCredential {
  for (const key of Object.keys(body)) {
    if (
      !key.includes("@odata.") &&
      !["id", "name", "issuer", "subject", "audiences", "description"].includes(key)
    ) {
      throw badRequest(`Property '${key}' does not exist as a declared property or extension property.`);
    }
  }
  const merged = { ...existing, ...body };
  const name = text(merged.name, "name", 120);
  if (!NAME.test(name)) throw invalidValue("name", RESOURCE);
  if (existing && name !== existing.name) throw badRequest("Property 'name' is immutable once set.");
  const issuer = text(merged.issuer, "issuer");
  if (!/^https:\/\/\S+$/i.test(issuer)) throw invalidValue("issuer", RESOURCE);
  const audiences = merged.audiences;
  if (!Array.isArray(audiences) || audiences.length !== 1 || typeof audiences[0] !== "string") {
    throw invalidValue("audiences", RESOURCE);
  }
  const description = merged.description ?? null;
  if (description !== null && (typeof description !== "string" || description.length > 600)) {
    throw invalidValue("description", RESOURCE);
  }
  return {
    id: existing?.id ?? randomUUID(),
    name,
    issuer,
    subject: text(merged.subject, "subject"),
    audiences: [text(audiences[0], "audiences")],
    description,
  };
}

function checkUnique(others: FederatedIdentityCredential[], candidate: FederatedIdentityCredential): void {
  if (others.some((other) => other.name.toLowerCase() === candidate.name.toLowerCase())) {
    throw conflict(`FederatedIdentityCredential with name ${candidate.name} already exists.`);
  }
  if (others.some((other) => other.issuer === candidate.issuer && other.subject === candidate.subject)) {
    throw new GraphError(
      400,
      "InvalidFederatedIdentityCredentialValue",
      `The combination of issuer and subject must be unique for the application. Issuer ${candidate.issuer} and Subject: ${candidate.subject} already exist. paramName: FederatedIdentityCredential.Subject, paramValue: ${candidate.subject}, objectType: Microsoft.Online.DirectoryServices.Application`,
    );
  }
}

async function insert(
  call: GraphCall,
  app: Application,
  candidate: FederatedIdentityCredential,
): Promise<GraphResult> {
  const existing = credentialsOf(call, app);
  checkUnique(existing, candidate);
  if (existing.length >= MAX_FEDERATED_CREDENTIALS) {
    throw badRequest(
      `The application already has the maximum number of federated identity credentials (${MAX_FEDERATED_CREDENTIALS}).`,
    );
  }
  await call.ctx.store.commit((state) => {
    state.federatedIdentityCredentials[app.id] = [...existing, candidate];
  });
  const context = `applications('${app.id}')/federatedIdentityCredentials`;
  return entityResponse(call, FEDERATED_CREDENTIAL, context, serializeFederatedCredential(candidate), 201);
}

function writableApp(call: GraphCall, write: boolean): Application {
  const app = findApplication(call, call.keys[0]!);
  requireApplicationAccess(call.ctx.store.state, call.caller, app.id, write);
  return app;
}

async function createCredential(call: GraphCall): Promise<GraphResult> {
  const app = writableApp(call, true);
  return insert(call, app, readCredential(call.body, undefined));
}

function listCredentials(call: GraphCall): GraphResult {
  const app = writableApp(call, false);
  const path = `applications/${app.id}/federatedIdentityCredentials`;
  const items = credentialsOf(call, app).map(serializeFederatedCredential);
  return collectionResponse(
    call,
    FEDERATED_CREDENTIAL,
    `applications('${app.id}')/federatedIdentityCredentials`,
    path,
    items,
  );
}

function getCredential(call: GraphCall): GraphResult {
  const app = writableApp(call, false);
  const credential = findCredential(call, app, call.keys[1]!);
  if (!credential) throw notFound(call.keys[1]!.value);
  const context = `applications('${app.id}')/federatedIdentityCredentials`;
  return entityResponse(call, FEDERATED_CREDENTIAL, context, serializeFederatedCredential(credential));
}

async function patchCredential(call: GraphCall): Promise<GraphResult> {
  const app = writableApp(call, true);
  const key = call.keys[1]!;
  const credential = findCredential(call, app, key);
  if (!credential) {
    const prefer = String(call.headers.prefer ?? "").toLowerCase();
    if (key.property?.toLowerCase() === "name" && prefer.includes("create-if-missing")) {
      return insert(
        call,
        app,
        readCredential({ ...call.body, name: call.body.name ?? key.value }, undefined),
      );
    }
    throw notFound(key.value);
  }
  const next = readCredential(call.body, credential);
  checkUnique(
    credentialsOf(call, app).filter((other) => other.id !== credential.id),
    next,
  );
  await call.ctx.store.commit(() => {
    Object.assign(credential, next);
  });
  return { status: 204 };
}

async function deleteCredential(call: GraphCall): Promise<GraphResult> {
  const app = writableApp(call, true);
  const credential = findCredential(call, app, call.keys[1]!);
  if (!credential) throw notFound(call.keys[1]!.value);
  await call.ctx.store.commit((state) => {
    state.federatedIdentityCredentials[app.id] = credentialsOf(call, app).filter(
      (other) => other.id !== credential.id,
    );
  });
  return { status: 204 };
}

export const federatedCredentialRoutes: GraphRoute[] = [
  { method: "GET", path: "applications/{}/federatedIdentityCredentials", handler: listCredentials },
  { method: "POST", path: "applications/{}/federatedIdentityCredentials", handler: createCredential },
  { method: "GET", path: "applications/{}/federatedIdentityCredentials/{}", handler: getCredential },
  { method: "PATCH", path: "applications/{}/federatedIdentityCredentials/{}", handler: patchCredential },
  { method: "DELETE", path: "applications/{}/federatedIdentityCredentials/{}", handler: deleteCredential },
];

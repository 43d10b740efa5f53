import { isGuid } from "../../entra/well-known.js";
import { addPassword } from "../directory/object-factories.js";
import type { GraphCall, GraphResult, GraphRoute } from "./dispatch.js";
import { badRequest, invalidValue } from "./errors.js";
import { findApplication } from "./lookup.js";
import { requireApplicationAccess } from "./permissions.js";

/**
 * `addPassword` / `removePassword`: the secret's value is in the addPassword response and nowhere
 * else (the tenant keeps its hash), and the token endpoint honours it (and its end date) once it has
 * propagated (at once unless fault injection sets `secret-propagation`; see propagation.ts).
 */

function dateOrNull(value: unknown, property: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string" || Number.isNaN(Date.parse(value)))
    throw invalidValue(property, "PasswordCredential");
  return new Date(value).toISOString();
}

async function addPasswordAction(call: GraphCall): Promise<GraphResult> {
  const app = findApplication(call, call.keys[0]!);
  const { ctx } = call;
  requireApplicationAccess(ctx.store.state, call.caller, app.id, true);
  const input = (call.body.passwordCredential ?? {}) as Record<string, unknown>;
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw invalidValue("passwordCredential", "Application");
  }
  const displayName = input.displayName ?? null;
  if (displayName !== null && typeof displayName !== "string")
    throw invalidValue("displayName", "PasswordCredential");
  const startDateTime = dateOrNull(input.startDateTime, "startDateTime");
  const endDateTime = dateOrNull(input.endDateTime, "endDateTime");
  const start = startDateTime ? Date.parse(startDateTime) : ctx.clock.now();
  if (endDateTime && Date.parse(endDateTime) <= start)
    throw invalidValue("endDateTime", "PasswordCredential");
  const { credential, secretText } = await ctx.store.commit((state) =>
    addPassword(state, app, { displayName, startDateTime, endDateTime }, ctx.clock.now()),
  );
  ctx.faults.markWritten("secret", credential.keyId);
  return {
    status: 200,
    body: {
      "@odata.context": `${call.serviceRoot}/$metadata#microsoft.graph.passwordCredential`,
      customKeyIdentifier: credential.customKeyIdentifier,
      displayName: credential.displayName,
      endDateTime: credential.endDateTime,
      hint: credential.hint,
      keyId: credential.keyId,
      secretText,
      startDateTime: credential.startDateTime,
    },
  };
}

async function removePasswordAction(call: GraphCall): Promise<GraphResult> {
  const app = findApplication(call, call.keys[0]!);
  const { ctx } = call;
  requireApplicationAccess(ctx.store.state, call.caller, app.id, true);
  const keyId = call.body.keyId;
  if (typeof keyId !== "string" || !isGuid(keyId)) throw invalidValue("keyId", "PasswordCredential");
  const wanted = keyId.toLowerCase();
  if (!app.passwordCredentials.some((credential) => credential.keyId === wanted)) {
    throw badRequest(`No password credential found with keyId '${keyId}'.`);
  }
  await ctx.store.commit((state) => {
    app.passwordCredentials = app.passwordCredentials.filter((credential) => credential.keyId !== wanted);
    delete state.secretHashes[wanted];
  });
  return { status: 204 };
}

export const passwordRoutes: GraphRoute[] = [
  { method: "POST", path: "applications/{}/addPassword", handler: addPasswordAction },
  { method: "POST", path: "applications/{}/removePassword", handler: removePasswordAction },
];

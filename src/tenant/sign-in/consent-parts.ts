import type { TenantContext } from "../context.js";
import { applicationByAppId, type ClientApp, clientByAppId } from "../directory/lookups.js";
import { resolveScopes, type ScopeRequest } from "../directory/scopes.js";
import type { PermissionScope, TenantState, User } from "../directory/tenant-state.js";
import { staticPermissions } from "./admin-consent.js";
import { type ConsentDecision, decideConsent, recordConsent } from "./consent-decision.js";

/** One client asking for one resource's scopes: what a consent page covers is a list of these. */
export interface ConsentPart {
  client: ClientApp;
  request: ScopeRequest;
}

/**
 * What a sign-in asks consent for: the client's scopes on each requested resource, and — for an API
 * that lists the client in `api.knownClientApplications` — that API's own delegated permissions
 * (its requiredResourceAccess), so that its on-behalf-of calls need no consent of their own.
 * https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-on-behalf-of-flow#default-and-combined-consent
 * (the docs show it with the client asking for the API's `.default`; we combine for any scope of it).
 */
export function consentParts(state: TenantState, client: ClientApp, requests: ScopeRequest[]): ConsentPart[] {
  const parts: ConsentPart[] = requests.map((request) => ({ client, request }));
  for (const request of requests) {
    const api = applicationByAppId(state, request.resource.appId);
    if (!api?.api.knownClientApplications.some((appId) => appId.toLowerCase() === client.appId)) continue;
    const middleTier = clientByAppId(state, api.appId);
    if (!middleTier) continue;
    for (const { resource, scopes } of staticPermissions(state, middleTier)) {
      if (resource.appId === request.resource.appId || scopes.length === 0) continue;
      const scope = scopes.map((entry) => `${resource.appId}/${entry.value}`).join(" ");
      parts.push({ client: middleTier, request: resolveScopes(state, scope, middleTier.displayName) });
    }
  }
  return parts;
}

/** A missing permission and the part that asks for it (the consent page lists them together). */
export interface PartDecision {
  part: ConsentPart;
  missing: PermissionScope[];
}

export type CombinedDecision =
  | { kind: "granted"; scopes: string[] }
  | { kind: "ask"; shown: PermissionScope[]; parts: PartDecision[] }
  | Extract<ConsentDecision, { kind: "denied" }>;

/**
 * One decision over every part: denied if any is, a consent page for everything still missing, or
 * granted — with the scopes of the first part (the resource the authorization code is for).
 */
export function decideCombined(
  state: TenantState,
  parts: ConsentPart[],
  user: User,
  forcePrompt: boolean,
): CombinedDecision {
  const decisions = parts.map((part) => ({
    part,
    decision: decideConsent(state, part.client, part.request, user, forcePrompt && part === parts[0]),
  }));
  const denied = decisions.find((entry) => entry.decision.kind === "denied")?.decision;
  if (denied?.kind === "denied") return denied;
  const asks = decisions.flatMap(({ part, decision }) =>
    decision.kind === "ask" ? [{ part, missing: decision.missing, shown: decision.shown }] : [],
  );
  if (asks.length === 0) {
    const first = decisions[0]?.decision;
    return { kind: "granted", scopes: first?.kind === "granted" ? first.scopes : [] };
  }
  return {
    kind: "ask",
    shown: asks.flatMap((ask) => ask.shown),
    parts: asks.map(({ part, missing }) => ({ part, missing })),
  };
}

/** Records the consent for every part that was missing some (a user's or the organization's). */
export async function recordCombined(
  ctx: TenantContext,
  parts: PartDecision[],
  userId: string,
  forOrganization: boolean,
): Promise<void> {
  for (const { part, missing } of parts) {
    const values = missing.map((scope) => scope.value);
    await recordConsent(ctx, part.client, part.request, userId, values, forOrganization);
  }
}

import type { TenantContext } from "../context.js";
import { clientByAppId, isAdministrator, userById } from "../directory/lookups.js";
import { AadstsError } from "../errors/protocol-error.js";
import { staticPermissions } from "./admin-consent.js";
import type { FlowStep } from "./flow-step-type.js";
import type { AdminConsentRequest } from "./short-lived-records.js";

/**
 * Where an /adminconsent sign-in stands once the user is known: the consent page for an
 * administrator (always shown, for the organization), or the end for anyone else (90094).
 */
export function adminConsentStep(
  ctx: TenantContext,
  clientId: string,
  userId: string,
  request: AdminConsentRequest,
): FlowStep {
  const state = ctx.store.state;
  const client = clientByAppId(state, clientId);
  if (!client)
    return { kind: "failed", error: new AadstsError(700016, { appId: clientId, tenant: state.tenant.id }) };
  const user = userById(state, userId);
  if (!user?.accountEnabled) return { kind: "sign-in" };
  if (!isAdministrator(state, user.id)) {
    return { kind: "failed", error: new AadstsError(90094, {}, { error: "access_denied" }) };
  }
  const shown = staticPermissions(state, client, request.resourceAppIds).flatMap((entry) => entry.scopes);
  return { kind: "consent", client, user, shown };
}

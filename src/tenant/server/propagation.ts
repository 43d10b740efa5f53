import type { TenantContext } from "../context.js";
import type { ClientApp } from "../directory/lookups.js";
import { AadstsError } from "../errors/protocol-error.js";

/**
 * Propagation after writes (fault injection, off unless configured: `secret-propagation`,
 * `consent-propagation` or `propagation` in the fault spec). Entra's token service learns of a new
 * secret or a new consent grant some seconds after Graph accepted it; until then it answers as if
 * the write had not happened. Measured on the tenant's clock, so tests advance it instead of waiting.
 */

/** The key a consent grant between two service principals is remembered under. */
export function consentKey(clientPrincipalId: string, resourcePrincipalId: string): string {
  return `${clientPrincipalId}:${resourcePrincipalId}`;
}

/** Remembers that Graph or the consent page just wrote a grant for this client and resource. */
export function markConsentWritten(
  ctx: TenantContext,
  clientPrincipalId: string,
  resourcePrincipalId: string,
): void {
  ctx.faults.markWritten("consent", consentKey(clientPrincipalId, resourcePrincipalId));
}

/**
 * A new secret, within its propagation window, is unknown to the token endpoint: AADSTS7000215, as for
 * a wrong secret (learn.microsoft.com/entra/identity-platform/reference-error-codes, AADSTS7000215).
 */
export function checkSecretPropagated(ctx: TenantContext, client: ClientApp, keyId: string): void {
  if (ctx.faults.isPropagating("secret", keyId)) throw new AadstsError(7000215, { appId: client.appId });
}

/**
 * A consent granted moments ago has not reached the token endpoint: AADSTS65001, as without consent
 * (learn.microsoft.com/entra/identity-platform/reference-error-codes, AADSTS65001).
 */
export function checkConsentPropagated(
  ctx: TenantContext,
  client: ClientApp,
  resourcePrincipalId: string,
  suberror?: string,
): void {
  const clientPrincipalId = client.servicePrincipal?.id;
  if (!clientPrincipalId) return;
  if (ctx.faults.isPropagating("consent", consentKey(clientPrincipalId, resourcePrincipalId))) {
    throw new AadstsError(65001, { appId: client.appId, appName: client.displayName }, { suberror });
  }
}

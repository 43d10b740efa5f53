import { clientAccessError, resourceAccessError } from "../clients/client-access.js";
import type { TenantContext } from "../context.js";
import { type ClientApp, clientByAppId, userById } from "../directory/lookups.js";
import { resolveScopes, type ScopeRequest } from "../directory/scopes.js";
import type { PermissionScope, User } from "../directory/tenant-state.js";
import { AadstsError } from "../errors/protocol-error.js";
import { decideConsent, recordConsent } from "./consent-decision.js";
import type { Transaction } from "./short-lived-records.js";

/** Where a sign-in transaction stands: the page to show next, or how it ends. */
export type FlowStep =
  | { kind: "sign-in" }
  | { kind: "consent"; client: ClientApp; user: User; shown: PermissionScope[] }
  | { kind: "admin-approval"; client: ClientApp; permissions: PermissionScope[]; error: AadstsError }
  | { kind: "done"; client: ClientApp; user: User; scopes: string[] }
  | { kind: "failed"; error: AadstsError };

interface Subject {
  client: ClientApp;
  user: User;
  request: ScopeRequest;
}

/** The client, user and resolved scopes of a transaction whose user has signed in. */
function subject(ctx: TenantContext, tx: Transaction & { userId: string }): Subject | FlowStep {
  const state = ctx.store.state;
  const client = clientByAppId(state, tx.clientId);
  if (!client)
    return {
      kind: "failed",
      error: new AadstsError(700016, { appId: tx.clientId, tenant: state.tenant.id }),
    };
  const user = userById(state, tx.userId);
  if (!user?.accountEnabled) return { kind: "sign-in" };
  const blocked = clientAccessError(state, client, user);
  if (blocked) return { kind: "failed", error: blocked };
  try {
    const request = resolveScopes(state, tx.scope, client.displayName);
    const refused = resourceAccessError(state, request.resource, { user }, "access_denied");
    if (refused) return { kind: "failed", error: refused };
    return { client, user, request };
  } catch (error) {
    if (error instanceof AadstsError) return { kind: "failed", error };
    throw error;
  }
}

/**
 * Decides what comes next for a transaction. In auto-approve mode consent is recorded here, without a
 * page, exactly as accepting the consent page would record it.
 */
export async function nextStep(ctx: TenantContext, tx: Transaction): Promise<FlowStep> {
  if (!tx.userId) return { kind: "sign-in" };
  const found = subject(ctx, { ...tx, userId: tx.userId });
  if ("kind" in found) return found;
  const { client, user, request } = found;
  const decision = decideConsent(ctx.store.state, client, request, user, tx.consentPending && !tx.auto);
  if (decision.kind === "granted") return { kind: "done", client, user, scopes: decision.scopes };
  const prompt = tx.origin.kind === "authorize" ? tx.origin.request.prompt : undefined;
  const needsInteraction = decision.kind === "ask" || decision.error.code === 90094;
  if (prompt === "none" && needsInteraction) {
    const error = new AadstsError(
      65001,
      { appId: client.appId, appName: client.displayName },
      { error: "consent_required" },
    );
    return { kind: "failed", error };
  }
  if (decision.kind === "denied") {
    if (decision.error.code === 90094 && !tx.auto) {
      return { kind: "admin-approval", client, permissions: decision.adminOnly, error: decision.error };
    }
    return { kind: "failed", error: decision.error };
  }
  if (!tx.auto) return { kind: "consent", client, user, shown: decision.shown };
  await recordConsent(
    ctx,
    client,
    request,
    user.id,
    decision.missing.map((scope) => scope.value),
    false,
  );
  return afterConsent(ctx, tx);
}

/** The consent page's Accept: records the grant, then moves on. */
export async function acceptConsent(
  ctx: TenantContext,
  tx: Transaction,
  forOrganization: boolean,
): Promise<FlowStep> {
  if (!tx.userId) return { kind: "sign-in" };
  const found = subject(ctx, { ...tx, userId: tx.userId });
  if ("kind" in found) return found;
  const { client, user, request } = found;
  const decision = decideConsent(ctx.store.state, client, request, user, true);
  if (decision.kind === "denied") return nextStep(ctx, tx);
  if (decision.kind === "ask") {
    const values = decision.missing.map((scope) => scope.value);
    await recordConsent(ctx, client, request, user.id, values, forOrganization);
  }
  return afterConsent(ctx, tx);
}

async function afterConsent(ctx: TenantContext, tx: Transaction): Promise<FlowStep> {
  tx.consentPending = false;
  const step = await nextStep(ctx, { ...tx, auto: false });
  if (step.kind === "done" || step.kind === "failed") return step;
  // Consent was just recorded; anything still missing cannot be granted here.
  return { kind: "failed", error: new AadstsError(65001, { appId: tx.clientId }) };
}

import { clientAccessError, resourceAccessError } from "../clients/client-access.js";
import type { TenantContext } from "../context.js";
import { type ClientApp, clientByAppId, userById } from "../directory/lookups.js";
import { resolveScopeSets } from "../directory/scopes.js";
import type { User } from "../directory/tenant-state.js";
import { AadstsError } from "../errors/protocol-error.js";
import { grantAdminConsent } from "./admin-consent.js";
import { adminConsentStep } from "./admin-consent-step.js";
import { type ConsentPart, consentParts, decideCombined, recordCombined } from "./consent-parts.js";
import type { FlowStep } from "./flow-step-type.js";
import type { Transaction } from "./short-lived-records.js";

/** "Need admin approval" (90094) and its admin-consent-workflow form (90095) end on a page. */
const ADMIN_APPROVAL = new Set([90094, 90095]);

interface Subject {
  client: ClientApp;
  user: User;
  /** Every resource the request names, and the APIs that know the client (combined consent). */
  parts: ConsentPart[];
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
    const requests = resolveScopeSets(state, tx.scope, client.displayName);
    for (const request of requests) {
      const refused = resourceAccessError(state, request.resource, { user }, "access_denied");
      if (refused) return { kind: "failed", error: refused };
    }
    return { client, user, parts: consentParts(state, client, requests) };
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
  const adminConsent = tx.origin.kind === "authorize" ? tx.origin.request.adminConsent : undefined;
  if (adminConsent) return adminConsentStep(ctx, tx.clientId, tx.userId, adminConsent);
  const found = subject(ctx, { ...tx, userId: tx.userId });
  if ("kind" in found) return found;
  const { client, user, parts } = found;
  const decision = decideCombined(ctx.store.state, parts, user, tx.consentPending && !tx.auto);
  if (decision.kind === "granted") return { kind: "done", client, user, scopes: decision.scopes };
  const prompt = tx.origin.kind === "authorize" ? tx.origin.request.prompt : undefined;
  const needsAdmin = decision.kind === "denied" && ADMIN_APPROVAL.has(decision.error.code);
  const needsInteraction = decision.kind === "ask" || needsAdmin;
  if (prompt === "none" && needsInteraction) {
    const error = new AadstsError(
      65001,
      { appId: client.appId, appName: client.displayName },
      { error: "consent_required" },
    );
    return { kind: "failed", error };
  }
  if (decision.kind === "denied") {
    if (needsAdmin && !tx.auto) {
      return { kind: "admin-approval", client, permissions: decision.adminOnly, error: decision.error };
    }
    return { kind: "failed", error: decision.error };
  }
  if (!tx.auto) return { kind: "consent", client, user, shown: decision.shown };
  await recordCombined(ctx, decision.parts, user.id, false);
  return afterConsent(ctx, tx);
}

/** The consent page's Accept: records the grant, then moves on. */
export async function acceptConsent(
  ctx: TenantContext,
  tx: Transaction,
  forOrganization: boolean,
): Promise<FlowStep> {
  if (!tx.userId) return { kind: "sign-in" };
  const adminConsent = tx.origin.kind === "authorize" ? tx.origin.request.adminConsent : undefined;
  if (adminConsent) {
    const step = adminConsentStep(ctx, tx.clientId, tx.userId, adminConsent);
    if (step.kind !== "consent") return step;
    await grantAdminConsent(ctx, step.client, adminConsent.resourceAppIds);
    return { kind: "done", client: step.client, user: step.user, scopes: [] };
  }
  const found = subject(ctx, { ...tx, userId: tx.userId });
  if ("kind" in found) return found;
  const { user, parts } = found;
  const decision = decideCombined(ctx.store.state, parts, user, true);
  if (decision.kind === "denied") return nextStep(ctx, tx);
  if (decision.kind === "ask") await recordCombined(ctx, decision.parts, user.id, forOrganization);
  return afterConsent(ctx, tx);
}

async function afterConsent(ctx: TenantContext, tx: Transaction): Promise<FlowStep> {
  tx.consentPending = false;
  const step = await nextStep(ctx, { ...tx, auto: false });
  if (step.kind === "done" || step.kind === "failed") return step;
  // Consent was just recorded; anything still missing cannot be granted here.
  return { kind: "failed", error: new AadstsError(65001, { appId: tx.clientId }) };
}

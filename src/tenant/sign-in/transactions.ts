import type { TenantContext } from "../context.js";
import { randomBase64url } from "../secrets/random-ids.js";
import type { AuthorizeRequest } from "./authorize-request.js";

const TRANSACTION_LIFETIME_MS = 60 * 60 * 1000;

/** Where a sign-in ends: back at the client (/authorize), or at a device waiting for its code. */
export type TransactionOrigin =
  | { kind: "authorize"; request: AuthorizeRequest }
  | { kind: "device"; deviceCode: string };

/** One sign-in in progress; the pages' forms carry its id. */
export interface Transaction {
  id: string;
  clientId: string;
  scope: string;
  origin: TransactionOrigin;
  /** Set once the user has signed in (from the session, the sign-in page or auto-approve). */
  userId?: string;
  authTime?: number;
  sessionState?: string;
  /** prompt=consent: show the consent page once even when nothing is missing. */
  consentPending: boolean;
  /** Auto-approve mode: consent without a page. */
  auto: boolean;
  loginHint?: string;
}

export function newTransaction(
  ctx: TenantContext,
  fields: Omit<Transaction, "id" | "consentPending" | "auto"> & { consentPending?: boolean; auto?: boolean },
): Transaction {
  const tx: Transaction = {
    consentPending: false,
    auto: false,
    ...fields,
    id: randomBase64url(24),
  };
  const now = ctx.clock.now();
  ctx.memory.transactions.set(tx.id, tx, now + TRANSACTION_LIFETIME_MS, now);
  return tx;
}

export function findTransaction(ctx: TenantContext, id: unknown): Transaction | undefined {
  return typeof id === "string" ? ctx.memory.transactions.get(id, ctx.clock.now()) : undefined;
}

export function endTransaction(ctx: TenantContext, tx: Transaction): void {
  ctx.memory.transactions.delete(tx.id);
}

import type { TenantContext } from "../context.js";
import { randomBase64url } from "../secrets/random-ids.js";
import type { Transaction } from "./short-lived-records.js";

const TRANSACTION_LIFETIME_MS = 60 * 60 * 1000;

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

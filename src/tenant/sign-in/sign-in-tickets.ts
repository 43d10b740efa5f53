import { randomBytes } from "node:crypto";
import type { TenantContext } from "../context.js";
import { userById } from "../directory/lookups.js";
import type { User } from "../directory/tenant-state.js";

const TICKET_LIFETIME_MS = 2 * 60 * 1000;

/**
 * One-time sign-in tickets: whoever holds the tenant's admin token can have one device code flow
 * approved as a given user without any page, by passing the ticket as `sign_in_ticket` on the
 * /devicecode request. This is how mcp-entra signs in to its own dev tenant non-interactively
 * (with real msal-node), without switching the tenant-wide auto-approve mode on.
 */
export function newSignInTicket(ctx: TenantContext, user: User): { ticket: string; expiresIn: number } {
  const ticket = randomBytes(32).toString("base64url");
  const now = ctx.clock.now();
  ctx.memory.signInTickets.set(ticket, user.id, now + TICKET_LIFETIME_MS, now);
  return { ticket, expiresIn: TICKET_LIFETIME_MS / 1000 };
}

/** The user a ticket names; the ticket is used up. */
export function redeemSignInTicket(ctx: TenantContext, ticket: string | undefined): User | undefined {
  if (!ticket) return undefined;
  const userId = ctx.memory.signInTickets.get(ticket, ctx.clock.now());
  if (!userId) return undefined;
  ctx.memory.signInTickets.delete(ticket);
  const user = userById(ctx.store.state, userId);
  return user?.accountEnabled ? user : undefined;
}

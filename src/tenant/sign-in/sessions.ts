import { randomUUID } from "node:crypto";
import type { Request, Response } from "express";
import type { TenantContext } from "../context.js";
import { userById } from "../directory/lookups.js";
import type { User } from "../directory/tenant-state.js";
import { randomBase64url } from "../secrets/random-ids.js";
import type { Session } from "./short-lived-records.js";

export const SESSION_COOKIE = "mcp_entra_session";
const SESSION_LIFETIME_MS = 24 * 3600 * 1000;

function cookieValue(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The signed-in session of this browser and its user, if any and the user still may sign in. */
export function currentSession(
  ctx: TenantContext,
  req: Request,
): { session: Session; user: User } | undefined {
  const session = ctx.memory.sessions.get(cookieValue(req, SESSION_COOKIE), ctx.clock.now());
  const user = session && userById(ctx.store.state, session.userId);
  return session && user?.accountEnabled ? { session, user } : undefined;
}

/** Signs a user in: a new session, and its cookie (HttpOnly, Secure, SameSite=Lax). */
export function startSession(ctx: TenantContext, res: Response, userId: string): Session {
  const session: Session = {
    id: randomBase64url(32),
    userId,
    authTime: ctx.clock.nowSeconds(),
    sessionState: randomUUID(),
  };
  const now = ctx.clock.now();
  ctx.memory.sessions.set(session.id, session, now + SESSION_LIFETIME_MS, now);
  res.append("Set-Cookie", `${SESSION_COOKIE}=${session.id}; Path=/; HttpOnly; Secure; SameSite=Lax`);
  return session;
}

import { randomUUID } from "node:crypto";
import type { TenantContext } from "../context.js";
import { randomBase64url } from "../secrets/random-ids.js";
import type { AuthorizationCode, AuthorizeRequest } from "./short-lived-records.js";

/** Records stay findable for a day past expiry, so replays and late redemptions get Entra's errors. */
const KEEP_AFTER_EXPIRY_MS = 24 * 3600 * 1000;

export function issueAuthorizationCode(
  ctx: TenantContext,
  request: AuthorizeRequest,
  grant: { userId: string; grantedScopes: string[]; authTime: number },
): string {
  const code = `1.dev.${randomBase64url(48)}`;
  const now = ctx.clock.now();
  const expiresAt = now + ctx.options.authorizationCodeLifetimeSeconds * 1000;
  const record: AuthorizationCode = {
    id: randomUUID(),
    clientId: request.clientId,
    redirectUri: request.redirectUri,
    platform: request.platform,
    userId: grant.userId,
    scope: request.scope,
    grantedScopes: grant.grantedScopes,
    nonce: request.nonce,
    codeChallenge: request.codeChallenge,
    codeChallengeMethod: request.codeChallengeMethod,
    authTime: grant.authTime,
    expiresAt,
    redeemed: false,
  };
  ctx.memory.codes.set(code, record, expiresAt + KEEP_AFTER_EXPIRY_MS, now);
  return code;
}

export function findAuthorizationCode(ctx: TenantContext, code: string): AuthorizationCode | undefined {
  return ctx.memory.codes.get(code, ctx.clock.now());
}

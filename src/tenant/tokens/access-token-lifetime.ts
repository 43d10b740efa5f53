import type { TenantContext } from "../context.js";

// https://learn.microsoft.com/en-us/entra/identity-platform/access-tokens#token-lifetime
/** Entra's default: a random lifetime between 60 and 90 minutes (75 on average), per token. */
export const ENTRA_ACCESS_TOKEN_LIFETIME = { minSeconds: 60 * 60, maxSeconds: 90 * 60 } as const;

/** The lifetime of the next access token: the tenant's fixed setting, or Entra's random default. */
export function accessTokenLifetime(ctx: TenantContext): number {
  const fixed = ctx.options.accessTokenLifetimeSeconds;
  if (fixed !== undefined) return fixed;
  const { minSeconds, maxSeconds } = ENTRA_ACCESS_TOKEN_LIFETIME;
  return minSeconds + Math.floor(ctx.random() * (maxSeconds - minSeconds + 1));
}

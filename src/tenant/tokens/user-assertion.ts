import {
  compactVerify,
  createLocalJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  type JWTPayload,
} from "jose";
import { ownUrls, type TenantContext } from "../context.js";
import { type ClientApp, userById } from "../directory/lookups.js";
import type { User } from "../directory/tenant-state.js";
import { AadstsError } from "../errors/protocol-error.js";
import { v1Issuer } from "../server/urls.js";

/** Entra tolerates five minutes of clock skew on assertions. */
const CLOCK_SKEW_SECONDS = 300;

/**
 * Checks an on-behalf-of assertion as Entra does: an access token that this tenant issued (v1 or v2),
 * still valid, whose audience is the calling API, and that a user signed in for. Returns that user.
 */
export async function verifyUserAssertion(
  ctx: TenantContext,
  assertion: string,
  caller: ClientApp,
): Promise<User> {
  let payload: JWTPayload;
  try {
    payload = decodeJwt(assertion);
  } catch {
    throw new AadstsError(50027);
  }
  await checkSignature(ctx, assertion);
  checkIssuer(ctx, payload);
  checkTimeRange(ctx, payload);
  checkAudience(payload, caller);
  if (payload.idtyp === "app" || typeof payload.scp !== "string") {
    throw new AadstsError(7000114, { appId: caller.appId, appName: caller.displayName });
  }
  const state = ctx.store.state;
  const user = typeof payload.oid === "string" ? userById(state, payload.oid) : undefined;
  if (!user) throw new AadstsError(50034, { identifier: String(payload.oid ?? ""), tenant: state.tenant.id });
  if (!user.accountEnabled) throw new AadstsError(50057);
  return user;
}

async function checkSignature(ctx: TenantContext, assertion: string): Promise<void> {
  const keys = createLocalJWKSet(ctx.keys.jwks(ctx.clock.now()));
  try {
    await compactVerify(assertion, keys, { algorithms: ["RS256"] });
  } catch (error) {
    if (error instanceof errors.JWKSNoMatchingKey) {
      const kid = decodeProtectedHeader(assertion).kid ?? "";
      throw new AadstsError(50013, {
        reason: `The key was not found., Thumbprint of key used by client: '${kid}'`,
      });
    }
    throw new AadstsError(50013, {
      reason: "The provided signature value did not match the expected signature value.",
    });
  }
}

function checkIssuer(ctx: TenantContext, payload: JWTPayload): void {
  const tenantId = ctx.store.state.tenant.id;
  const issuers = [ownUrls(ctx).issuer, v1Issuer(tenantId)];
  if (payload.tid !== tenantId || !issuers.includes(String(payload.iss))) {
    throw new AadstsError(50013, {
      reason: `The issuer '${payload.iss}' of tenant '${payload.tid}' is not this tenant ('${tenantId}').`,
    });
  }
}

function checkTimeRange(ctx: TenantContext, payload: JWTPayload): void {
  const now = ctx.clock.nowSeconds();
  const expired = typeof payload.exp !== "number" || payload.exp + CLOCK_SKEW_SECONDS < now;
  const early = typeof payload.nbf === "number" && payload.nbf - CLOCK_SKEW_SECONDS > now;
  if (expired || early) {
    throw new AadstsError(500133, {
      now: new Date(now * 1000).toISOString(),
      expiry: typeof payload.exp === "number" ? new Date(payload.exp * 1000).toISOString() : "",
    });
  }
}

/** The assertion must be for the API that presents it: its appId or one of its Application ID URIs. */
function checkAudience(payload: JWTPayload, caller: ClientApp): void {
  const normalise = (value: string) => value.toLowerCase().replace(/\/$/, "");
  const accepted = [caller.appId, ...(caller.application?.identifierUris ?? [])].map(normalise);
  const audiences = [payload.aud].flat().filter((aud): aud is string => typeof aud === "string");
  if (!audiences.some((aud) => accepted.includes(normalise(aud)))) {
    throw new AadstsError(500131, {
      audience: audiences.join(","),
      expected: caller.appId,
      appId: caller.appId,
      appName: caller.displayName,
    });
  }
}

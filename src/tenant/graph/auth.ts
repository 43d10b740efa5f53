import { createLocalJWKSet, type JWTPayload, errors as joseErrors, jwtVerify } from "jose";
import { MICROSOFT_GRAPH_APP_ID, MICROSOFT_GRAPH_RESOURCE } from "../../entra/well-known.js";
import { ownUrls, type TenantContext } from "../context.js";
import { isAdministrator } from "../directory/lookups.js";
import { v1Issuer } from "../server/urls.js";
import { invalidToken } from "./errors.js";

/** Who is calling Graph, as the bearer token says. */
export interface GraphCaller {
  kind: "app" | "user";
  /** The client application's appId (`appid`/`azp`). */
  appId: string;
  /** App-only: the client's service principal object id (`oid`). */
  servicePrincipalId?: string;
  /** Delegated: the signed-in user's object id. */
  userId?: string;
  /** Delegated: the user holds an administrator role in the tenant. */
  isAdmin: boolean;
  /** `roles` (app-only) or `scp` (delegated) values, lower-cased. */
  permissions: Set<string>;
}

const GRAPH_AUDIENCES = [MICROSOFT_GRAPH_RESOURCE, `${MICROSOFT_GRAPH_RESOURCE}/`, MICROSOFT_GRAPH_APP_ID];

/**
 * Checks the bearer token as Graph does: signed by this tenant, issued for Graph (v1 shape), still
 * valid on the tenant clock; else 401 InvalidAuthenticationToken.
 */
export async function authenticateGraphCaller(
  ctx: TenantContext,
  authorization: string | undefined,
): Promise<GraphCaller> {
  const authorize = ownUrls(ctx).authorize;
  const token = authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
  if (!token) throw invalidToken("Access token is empty.", authorize);
  const tenantId = ctx.store.state.tenant.id;
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, createLocalJWKSet(ctx.keys.jwks(ctx.clock.now())), {
      algorithms: ["RS256"],
      currentDate: new Date(ctx.clock.now()),
    }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) {
      throw invalidToken("Lifetime validation failed, the token is expired.", authorize);
    }
    if (
      error instanceof joseErrors.JWSSignatureVerificationFailed ||
      error instanceof joseErrors.JWKSNoMatchingKey
    ) {
      throw invalidToken("Access token validation failure. Invalid signature.", authorize);
    }
    throw invalidToken("Access token validation failure. The token is malformed.", authorize);
  }
  const audiences = [payload.aud].flat();
  if (!audiences.some((aud) => typeof aud === "string" && GRAPH_AUDIENCES.includes(aud))) {
    throw invalidToken("Access token validation failure. Invalid audience.", authorize);
  }
  if (payload.iss !== v1Issuer(tenantId) || payload.tid !== tenantId) {
    throw invalidToken("Access token validation failure. Invalid issuer.", authorize);
  }
  const claims = payload as JWTPayload & {
    scp?: string;
    roles?: string[];
    oid?: string;
    appid?: string;
    azp?: string;
    idtyp?: string;
  };
  const appId = claims.appid ?? claims.azp ?? "";
  if (typeof claims.scp === "string" && claims.idtyp !== "app") {
    const userId = claims.oid ?? "";
    return {
      kind: "user",
      appId,
      userId,
      isAdmin: isAdministrator(ctx.store.state, userId),
      permissions: new Set(
        claims.scp
          .split(" ")
          .filter(Boolean)
          .map((scope) => scope.toLowerCase()),
      ),
    };
  }
  return {
    kind: "app",
    appId,
    servicePrincipalId: claims.oid,
    isAdmin: false,
    permissions: new Set((claims.roles ?? []).map((role) => role.toLowerCase())),
  };
}

/** True when the caller holds any of these permissions. */
export function holds(caller: GraphCaller, ...permissions: string[]): boolean {
  return permissions.some((permission) => caller.permissions.has(permission.toLowerCase()));
}

/** The id that ownership is recorded under for this caller (user or service principal). */
export function callerObjectId(caller: GraphCaller): string | undefined {
  return caller.kind === "user" ? caller.userId : caller.servicePrincipalId;
}

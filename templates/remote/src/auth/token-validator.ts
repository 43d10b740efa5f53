import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from "jose";
import { type Config, entraEndpoints } from "../config.js";

/** Who is calling, as established from a validated access token. */
export interface Caller {
  /** "user" for delegated tokens (they carry `scp`), "app" for app-only tokens. */
  kind: "user" | "app";
  /** The user's or the calling app's service principal object id (`oid`). */
  objectId: string;
  tenantId: string;
  /** The client application that obtained the token (`azp`, or `appid` in v1 tokens). */
  clientId: string;
  /** Delegated scopes (`scp`), without the API's prefix. */
  scopes: string[];
  /** App roles (`roles`) assigned to the user or the app. */
  roles: string[];
  name?: string;
  username?: string;
  /** Expiry, in seconds since the epoch. */
  expiresAt: number;
  /**
   * The raw token: used only as the user assertion of the on-behalf-of request. Never log it and
   * never send it to another API.
   */
  token: string;
}

/** The token was presented but is not acceptable: the client gets a 401 with this description. */
export class InvalidTokenError extends Error {
  override readonly name = "InvalidTokenError";
}

/** The token could not be checked (the signing keys were unreachable): a server-side problem. */
export class ValidationUnavailableError extends Error {
  override readonly name = "ValidationUnavailableError";
}

export type TokenValidator = (token: string) => Promise<Caller>;

/** Clock skew tolerated on exp and nbf, in seconds. */
const CLOCK_TOLERANCE_SECONDS = 60;

/** Far above Entra's tokens (a few KB) and below what would take long to decode and parse. */
const MAX_TOKEN_LENGTH = 32 * 1024;

/** Header, payload and signature in base64url: no whitespace, padding or other alphabet. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.([A-Za-z0-9_-]+)$/;

/**
 * Validates Entra access tokens for this API: RS256 signatures from the tenant's JWKS (cached;
 * fetched again for an unknown `kid`, at most once every 30 s), the tenant's issuer, this API's
 * audience, exp/nbf, and the tenant id. A token that passed is remembered until it expires.
 */
export function createTokenValidator(config: Config): TokenValidator {
  const endpoints = entraEndpoints(config);
  const jwks = createRemoteJWKSet(new URL(endpoints.jwksUri), {
    cooldownDuration: 30_000,
    cacheMaxAge: 10 * 60_000,
    timeoutDuration: 5_000,
  });
  const issuers = config.acceptV1Tokens ? [endpoints.issuer, endpoints.v1Issuer] : [endpoints.issuer];
  const audiences = [config.clientId, config.appIdUri];

  const verified = new VerifiedTokens();

  return async (token) => {
    const known = verified.get(token);
    if (known) return known;
    checkCompactForm(token);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, jwks, {
        algorithms: ["RS256"],
        issuer: issuers,
        audience: audiences,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ["exp", "tid"],
      }));
    } catch (error) {
      throw describeFailure(error);
    }
    const malformed = malformedClaim(payload);
    if (malformed) throw new InvalidTokenError(`The access token has an invalid ${malformed} claim`);
    if ((payload.tid as string).toLowerCase() !== config.tenantId) {
      throw new InvalidTokenError("The access token was issued for another tenant");
    }
    // Access tokens name the client they were issued to; ID tokens (same audience, issuer, keys) do not.
    if (typeof (payload.azp ?? payload.appid) !== "string") {
      throw new InvalidTokenError("The token is not an access token");
    }
    const caller = callerFromClaims(payload, token);
    verified.remember(caller);
    return caller;
  };
}

/**
 * One spelling per token: base64url decoders skip whitespace and ignore the unused bits of the last
 * character, so without this check one signed token would have many accepted spellings.
 */
function checkCompactForm(token: string): void {
  if (token.length > MAX_TOKEN_LENGTH) throw new InvalidTokenError("The access token is too large");
  const signature = COMPACT_JWS.exec(token)?.[1];
  if (!signature || Buffer.from(signature, "base64url").toString("base64url") !== signature) {
    throw new InvalidTokenError("The access token is malformed");
  }
}

const STRING_CLAIMS = ["tid", "oid", "sub", "azp", "appid", "scp", "name", "preferred_username", "upn"];

/** The claims this server reads, in the types Entra gives them; a token that bends one is refused. */
function malformedClaim(payload: JWTPayload): string | undefined {
  if (typeof payload.tid !== "string") return "tid";
  if (!Number.isFinite(payload.exp)) return "exp";
  const notString = STRING_CLAIMS.find(
    (name) => payload[name] !== undefined && typeof payload[name] !== "string",
  );
  if (notString) return notString;
  const { roles } = payload;
  if (roles !== undefined && !(Array.isArray(roles) && roles.every((role) => typeof role === "string"))) {
    return "roles";
  }
  return undefined;
}

function callerFromClaims(payload: JWTPayload, token: string): Caller {
  const claim = (name: string) => (typeof payload[name] === "string" ? (payload[name] as string) : undefined);
  const scp = claim("scp");
  const roles = (payload.roles as string[] | undefined) ?? [];
  return {
    // Delegated tokens carry `scp`; app-only tokens (client credentials) carry only `roles`.
    kind: scp ? "user" : "app",
    objectId: claim("oid") ?? claim("sub") ?? "",
    tenantId: claim("tid") ?? "",
    clientId: claim("azp") ?? claim("appid") ?? "",
    scopes: scp ? scp.split(" ").filter(Boolean) : [],
    roles,
    name: claim("name"),
    username: claim("preferred_username") ?? claim("upn"),
    expiresAt: payload.exp ?? 0,
    token,
  };
}

function describeFailure(error: unknown): Error {
  if (error instanceof errors.JWTExpired) return new InvalidTokenError("The access token has expired");
  if (error instanceof errors.JWTClaimValidationFailed) {
    const reasons: Record<string, string> = {
      nbf: "The access token is not valid yet",
      iss: "The access token was issued by another issuer",
      aud: "The access token is meant for another audience",
    };
    return new InvalidTokenError(
      reasons[error.claim] ?? `The access token has an invalid ${error.claim} claim`,
    );
  }
  if (error instanceof errors.JOSEAlgNotAllowed)
    return new InvalidTokenError("The access token must be signed with RS256");
  if (error instanceof errors.JWKSNoMatchingKey) {
    return new InvalidTokenError("The access token is signed with a key the tenant does not publish");
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new InvalidTokenError("The access token's signature is invalid");
  }
  // JWKSTimeout, a malformed key set, a non-200 answer (ERR_JOSE_GENERIC) or a network error: the
  // keys could not be fetched, which says nothing about the token.
  const keysUnavailable =
    error instanceof errors.JWKSTimeout ||
    error instanceof errors.JWKSInvalid ||
    (error instanceof errors.JOSEError && error.code === "ERR_JOSE_GENERIC") ||
    !(error instanceof errors.JOSEError);
  if (keysUnavailable)
    return new ValidationUnavailableError("The tenant's signing keys could not be fetched");
  return new InvalidTokenError("The access token is malformed");
}

/**
 * Tokens this server has already validated, by their exact text, until they expire. A client sends
 * the same token for up to an hour, and checking its signature again on every request is the
 * costliest part of one. Bounded: the oldest entries make room for new ones.
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, Caller>();

  constructor(private readonly maxEntries = 1000) {}

  get(token: string): Caller | undefined {
    const caller = this.entries.get(token);
    if (caller && caller.expiresAt * 1000 > Date.now()) return caller;
    if (caller) this.entries.delete(token);
    return undefined;
  }

  remember(caller: Caller): void {
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(caller.token, caller);
  }
}

import { createHash, randomUUID } from "node:crypto";
import { createLocalJWKSet, decodeJwt, jwtVerify } from "jose";
import { checkResources, unknownScopes } from "./authorize.js";
import type { ClientAuthentication } from "./client-authentication.js";
import { JWT_BEARER_GRANT } from "./clients.js";
import { type AsContext, OAuthFailure, splitScope } from "./context.js";
import { opaqueSecret } from "./signer.js";

/** The end user every authorization request "signs in" as. */
export const END_USER = "spec-user";

export interface Grant {
  client_id: string;
  sub: string;
  scope: string[];
  resources: string[];
  /** Whether the grant type may come with a refresh token. */
  refreshable: boolean;
}

type GrantHandler = (context: AsContext, form: URLSearchParams, auth: ClientAuthentication) => Promise<Grant>;

/** RFC 6749 §4.1.3 with PKCE (RFC 7636 §4.6) and resource indicators (RFC 8707 §2.2). */
const authorizationCode: GrantHandler = async (context, form, auth) => {
  const pending = context.codes.get(form.get("code") ?? "");
  if (!pending || pending.used || pending.expiresAt < context.now()) {
    throw new OAuthFailure("invalid_grant", "the code is unknown, used or expired");
  }
  pending.used = true;
  if (!auth.client) throw new OAuthFailure("invalid_request", "client_id is required for a public client");
  if (auth.client.client_id !== pending.client_id)
    throw new OAuthFailure("invalid_grant", "the code was issued to another client");
  if (pending.redirect_uri !== undefined && form.get("redirect_uri") !== pending.redirect_uri) {
    throw new OAuthFailure("invalid_grant", "redirect_uri differs from the authorization request");
  }
  const verifier = form.get("code_verifier") ?? "";
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier) || challenge !== pending.code_challenge) {
    throw new OAuthFailure(
      "invalid_grant",
      "code_verifier does not match the code_challenge (RFC 7636 §4.6)",
    );
  }
  const resources = narrowedResources(context, form.getAll("resource"), pending.resources);
  return { client_id: pending.client_id, sub: END_USER, scope: pending.scope, resources, refreshable: true };
};

/** RFC 6749 §6; refresh tokens rotate (OAuth 2.1 §4.3.1), so a used one is refused. */
const refreshToken: GrantHandler = async (context, form, auth) => {
  const grant = context.refreshGrants.get(form.get("refresh_token") ?? "");
  if (!grant || grant.rotated)
    throw new OAuthFailure("invalid_grant", "the refresh token is unknown or already used");
  if (auth.client?.client_id !== grant.client_id)
    throw new OAuthFailure("invalid_grant", "the refresh token belongs to another client");
  const asked = splitScope(form.get("scope") ?? undefined);
  const wider = asked.filter((scope) => !grant.scope.includes(scope));
  if (wider.length > 0)
    throw new OAuthFailure("invalid_scope", `scope beyond the original grant: ${wider.join(" ")}`);
  grant.rotated = true;
  const resources = narrowedResources(context, form.getAll("resource"), grant.resources);
  return { ...grant, scope: asked.length > 0 ? asked : grant.scope, resources, refreshable: true };
};

/** RFC 6749 §4.4: a confidential client on its own behalf. */
const clientCredentials: GrantHandler = async (context, form, auth) => {
  const client = auth.client;
  if (!client || auth.method === "none") {
    throw new OAuthFailure(
      "invalid_client",
      "client_credentials needs an authenticated client (RFC 6749 §4.4.2)",
      401,
    );
  }
  if (!client.grant_types.includes("client_credentials")) {
    throw new OAuthFailure("unauthorized_client", "the client may not use client_credentials");
  }
  const allowed = client.scope === undefined ? undefined : splitScope(client.scope);
  const scope = askedScope(context, form, allowed);
  return {
    client_id: client.client_id,
    sub: client.client_id,
    scope,
    resources: resourcesOf(context, form),
    refreshable: false,
  };
};

/** RFC 7523 §2.1 and §3: an assertion from a trusted external issuer (workload identity) as the grant. */
const jwtBearer: GrantHandler = async (context, form, auth) => {
  const assertion = form.get("assertion");
  if (!assertion) throw new OAuthFailure("invalid_request", "assertion is required");
  let iss: string | undefined;
  try {
    iss = decodeJwt(assertion).iss;
  } catch {
    throw new OAuthFailure("invalid_grant", "the assertion is not a JWT");
  }
  const trusted = context.options.trustedAssertionIssuers?.find((candidate) => candidate.issuer === iss);
  if (!trusted)
    throw new OAuthFailure("invalid_grant", `assertions from ${iss ?? "(no iss)"} are not trusted`);
  let sub: string;
  try {
    const { payload } = await jwtVerify(assertion, createLocalJWKSet(trusted.jwks), {
      algorithms: ["RS256", "ES256"],
      issuer: trusted.issuer,
      audience: trusted.audience ?? [context.issuer, context.endpoints.token],
      subject: trusted.subject,
      requiredClaims: ["exp", "sub"],
      currentDate: new Date(context.now()),
    });
    sub = payload.sub ?? "";
    if (payload.jti !== undefined) {
      if (context.seenAssertionIds.has(`${iss} ${payload.jti}`))
        throw new Error("the assertion was already used (jti)");
      context.seenAssertionIds.add(`${iss} ${payload.jti}`);
    }
  } catch (error) {
    throw new OAuthFailure("invalid_grant", `assertion refused: ${(error as Error).message}`);
  }
  if (auth.client && !auth.client.grant_types.includes(JWT_BEARER_GRANT)) {
    throw new OAuthFailure("unauthorized_client", "the client may not use the jwt-bearer grant");
  }
  const scope = askedScope(context, form, undefined);
  return {
    client_id: auth.client?.client_id ?? sub,
    sub,
    scope,
    resources: resourcesOf(context, form),
    refreshable: false,
  };
};

export const GRANTS: Record<string, GrantHandler> = {
  authorization_code: authorizationCode,
  refresh_token: refreshToken,
  client_credentials: clientCredentials,
  [JWT_BEARER_GRANT]: jwtBearer,
};

function askedScope(context: AsContext, form: URLSearchParams, allowed: string[] | undefined): string[] {
  const asked = splitScope(form.get("scope") ?? undefined);
  const unknown = unknownScopes(context, asked);
  if (unknown.length > 0) throw new OAuthFailure("invalid_scope", `unknown scope ${unknown.join(" ")}`);
  const refused = allowed ? asked.filter((scope) => !allowed.includes(scope)) : [];
  if (refused.length > 0)
    throw new OAuthFailure("invalid_scope", `the client may not have ${refused.join(" ")}`);
  return asked.length > 0
    ? asked.filter((scope) => context.scopesSupported.includes(scope))
    : (allowed ?? []);
}

function resourcesOf(context: AsContext, form: URLSearchParams): string[] {
  const resources = form.getAll("resource");
  const problem = checkResources(context, resources);
  if (problem) throw new OAuthFailure("invalid_target", problem);
  return resources;
}

/** A token request may narrow the resources of the grant, never widen them (RFC 8707 §2.2). */
function narrowedResources(context: AsContext, asked: string[], granted: string[]): string[] {
  const problem = checkResources(context, asked);
  if (problem) throw new OAuthFailure("invalid_target", problem);
  const wider = granted.length === 0 ? [] : asked.filter((resource) => !granted.includes(resource));
  if (wider.length > 0)
    throw new OAuthFailure("invalid_target", `resource beyond the grant: ${wider.join(" ")}`);
  return asked.length > 0 ? asked : granted;
}

/** Signs the access token (RFC 9068) and, where the policy allows, mints a rotating refresh token. */
export async function issueTokens(context: AsContext, grant: Grant) {
  const now = Math.floor(context.now() / 1000);
  const lifetime = context.options.accessTokenLifetime ?? 3600;
  const claims = {
    iss: context.issuer,
    sub: grant.sub,
    aud:
      grant.resources.length === 0
        ? context.issuer
        : grant.resources.length === 1
          ? grant.resources[0]!
          : grant.resources,
    client_id: grant.client_id,
    scope: grant.scope.join(" "),
    iat: now,
    exp: now + lifetime,
    jti: randomUUID(),
  };
  const body: Record<string, unknown> = {
    access_token: await context.signer.sign(claims),
    token_type: "Bearer",
    expires_in: lifetime,
    scope: claims.scope,
  };
  const policy =
    context.options.refreshTokens ?? (context.options.offlineAccess ? "offline_access" : "always");
  const refresh =
    grant.refreshable &&
    (policy === "always" || (policy === "offline_access" && grant.scope.includes("offline_access")));
  if (refresh) {
    const token = opaqueSecret();
    context.refreshGrants.set(token, {
      client_id: grant.client_id,
      sub: grant.sub,
      scope: grant.scope,
      resources: grant.resources,
      rotated: false,
    });
    body.refresh_token = token;
  }
  return { body, claims };
}

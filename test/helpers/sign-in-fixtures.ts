import { createHash, randomBytes, randomUUID } from "node:crypto";
import { createRemoteJWKSet, customFetch, type JWTPayload, jwtVerify } from "jose";
import { trustedFetch } from "../../src/entra/trust.js";
import {
  addPassword,
  newApplication,
  newServicePrincipal,
} from "../../src/tenant/directory/object-factories.js";
import type { Application, DevTenant, PermissionScope, User } from "../../src/tenant/index.js";

/** Apps, users and raw protocol calls that the sign-in tests share. */

export interface ApiFixture {
  app: Application;
  /** api://{appId}/access_as_user (user-consentable). */
  scope: string;
  /** api://{appId}/Admin.All (admin consent only). */
  adminScope: string;
}

function permission(value: string, type: "User" | "Admin"): PermissionScope {
  return {
    id: randomUUID(),
    value,
    type,
    isEnabled: true,
    adminConsentDisplayName: `${value} (admin text)`,
    adminConsentDescription: `Lets the app use ${value} for the organization.`,
    userConsentDisplayName: `${value} (user text)`,
    userConsentDescription: `Lets the app use ${value} for you.`,
  };
}

/** An API with a v2 access token, a user scope and an admin-only scope, and its service principal. */
export async function addApi(
  t: DevTenant,
  options: { preAuthorize?: string[]; name?: string } = {},
): Promise<ApiFixture> {
  return t.store.commit((state) => {
    const now = new Date().toISOString();
    const scopes = [permission("access_as_user", "User"), permission("Admin.All", "Admin")];
    const app = newApplication(
      {
        displayName: options.name ?? "Contoso MCP API",
        api: {
          requestedAccessTokenVersion: 2,
          oauth2PermissionScopes: scopes,
          preAuthorizedApplications: (options.preAuthorize ?? []).map((appId) => ({
            appId,
            delegatedPermissionIds: [scopes[0]!.id],
          })),
        },
      },
      now,
    );
    app.identifierUris = [`api://${app.appId}`];
    state.applications.push(app);
    state.servicePrincipals.push(newServicePrincipal(state, app, now));
    return { app, scope: `api://${app.appId}/access_as_user`, adminScope: `api://${app.appId}/Admin.All` };
  });
}

export interface ClientFixture {
  app: Application;
  secret?: string;
}

/** A client registration. Without `servicePrincipal` it has none until a user consents. */
export async function addClient(
  t: DevTenant,
  options: {
    web?: string[];
    spa?: string[];
    publicClient?: string[];
    publicFlows?: boolean;
    secret?: boolean;
    servicePrincipal?: boolean;
    name?: string;
  },
): Promise<ClientFixture> {
  return t.store.commit((state) => {
    const now = new Date().toISOString();
    const app = newApplication(
      {
        displayName: options.name ?? "Contoso MCP client",
        isFallbackPublicClient: options.publicFlows ?? null,
        web: { redirectUris: options.web ?? [] },
        spa: { redirectUris: options.spa ?? [] },
        publicClient: { redirectUris: options.publicClient ?? [] },
      },
      now,
    );
    state.applications.push(app);
    if (options.servicePrincipal) state.servicePrincipals.push(newServicePrincipal(state, app, now));
    const secret = options.secret ? addPassword(state, app, {}, Date.now()).secretText : undefined;
    return { app, secret };
  });
}

export function testUser(t: DevTenant, alias: "adele" | "alex" | "megan"): User {
  const user = t.store.state.users.find((candidate) => candidate.userPrincipalName.startsWith(`${alias}@`));
  if (!user) throw new Error(`No seeded user ${alias}`);
  return user;
}

export function pkce(method: "S256" | "plain" = "S256") {
  const verifier = randomBytes(32).toString("base64url");
  const challenge = method === "S256" ? createHash("sha256").update(verifier).digest("base64url") : verifier;
  return { verifier, challenge, method };
}

/** An /authorize URL of the tenant with the given parameters (response_type=code unless given). */
export function authorizeUrl(
  t: DevTenant,
  params: Record<string, string | undefined>,
  segment?: string,
): string {
  const url = new URL(segment ? `${t.url}/${segment}/oauth2/v2.0/authorize` : t.urls.authorize);
  for (const [name, value] of Object.entries({ response_type: "code", ...params })) {
    if (value !== undefined) url.searchParams.set(name, value);
  }
  return url.toString();
}

export interface RawResponse {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** POSTs a form to one of the tenant's endpoints (token, devicecode) and reads the JSON answer. */
export async function postForm(
  t: DevTenant,
  url: string,
  form: Record<string, string | undefined>,
): Promise<RawResponse> {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(form)) if (value !== undefined) body.set(name, value);
  const response = await trustedFetch([t.caPem])(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: body.toString(),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

/** GETs a tenant URL without following redirects. */
export async function getRaw(t: DevTenant, url: string, headers: Record<string, string> = {}) {
  const response = await trustedFetch([t.caPem])(url, { headers, redirect: "manual" });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** Verifies a token against the tenant's JWKS and returns its claims. */
export async function verifyToken(
  t: DevTenant,
  token: string,
  audience: string,
  issuer = t.urls.issuer,
): Promise<JWTPayload> {
  const jwks = createRemoteJWKSet(new URL(t.urls.jwks), {
    [customFetch]: (url, init) => trustedFetch([t.caPem])(url, init as RequestInit),
  });
  const { payload } = await jwtVerify(token, jwks, { issuer, audience });
  return payload;
}

/** The AADSTS code of an Entra-shaped error body, after checking the shape. */
export function aadstsCode(body: Record<string, unknown>): number {
  const codes = body.error_codes as number[] | undefined;
  const description = String(body.error_description ?? "");
  const match = description.match(/^AADSTS(\d+): .* Trace ID: [\w-]+ Correlation ID: [\w-]+ Timestamp: /s);
  if (
    !match ||
    !codes ||
    codes[0] !== Number(match[1]) ||
    !body.trace_id ||
    !body.correlation_id ||
    !body.timestamp
  ) {
    throw new Error(`Not an Entra-shaped error body: ${JSON.stringify(body)}`);
  }
  return codes[0]!;
}

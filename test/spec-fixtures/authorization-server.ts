import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { authorize } from "./authorization-server/authorize.js";
import { ClientRegistry } from "./authorization-server/clients.js";
import { type AsContext, OAuthFailure, sendFailure } from "./authorization-server/context.js";
import { END_USER } from "./authorization-server/grants.js";
import { metadataDocument, metadataPaths } from "./authorization-server/metadata.js";
import {
  type AuthorizationServerOptions,
  type AuthorizationServerRecords,
  DEFAULT_SCOPES,
  emptyRecords,
  type PreRegisteredClient,
} from "./authorization-server/options.js";
import { register } from "./authorization-server/registration.js";
import { type AccessTokenClaims, createSigner } from "./authorization-server/signer.js";
import { tokenEndpoint } from "./authorization-server/token-endpoint.js";
import { listen, readBody, sendJson } from "./http-server.js";
import { issuerVariant } from "./issuer-variants.js";

export type { AuthorizationServerOptions, PreRegisteredClient } from "./authorization-server/options.js";

/** A running authorization server written from RFC 8414, 6749, 7636, 7591, 7523, 8707, 9207, 9068. */
export interface AuthorizationServerFixture {
  /** The issuer identifier: what a PRM's `authorization_servers` lists. */
  issuer: string;
  /** Where the metadata document is served, in the order an MCP client tries them. */
  metadataUrls: string[];
  authorizationEndpoint: string;
  tokenEndpoint: string;
  registrationEndpoint?: string;
  jwksUri: string;
  /** `kid` and `alg` of the signing key (a probe forges a token under the same `kid`). */
  kid: string;
  signingAlgorithm: "RS256" | "ES256";
  /** The `iss` value authorization responses carry, or undefined when omitted. */
  issInResponses?: string;
  records: AuthorizationServerRecords;
  /** Signs an access token with the AS's own key; claims default to a valid token for `aud`. */
  issueAccessToken(claims: Partial<AccessTokenClaims> & { aud: string | string[] }): Promise<string>;
  /** Registers a client while running (as if registered out of band). */
  addClient(client: PreRegisteredClient): void;
  stop(): Promise<void>;
}

export async function startAuthorizationServer(
  options: AuthorizationServerOptions = {},
): Promise<AuthorizationServerFixture> {
  const issuerPath = options.issuerPath ?? "";
  if (issuerPath !== "" && !/^\/[^?#]*[^/?#]$/.test(issuerPath))
    throw new Error(`issuerPath must start with / and not end with one: ${issuerPath}`);
  const signer = await createSigner(options.signingAlgorithm ?? "RS256");
  const records = emptyRecords();
  const discovery = options.discovery ?? "oauth";
  const scopesSupported = [
    ...(discovery === "oauth" ? [] : ["openid"]),
    ...(options.scopes ?? DEFAULT_SCOPES),
    ...(options.offlineAccess ? ["offline_access"] : []),
  ];
  let context: AsContext | undefined;
  const server = await listen((req, res) => route(context!, req, res), options.listen);
  const issuer = `${server.origin}${issuerPath}`;
  context = {
    issuer,
    origin: server.origin,
    endpoints: {
      authorization: `${issuer}/authorize`,
      token: `${issuer}/token`,
      registration: (options.dynamicRegistration ?? true) ? `${issuer}/register` : undefined,
      jwks: `${issuer}/jwks`,
    },
    metadataPaths: metadataPaths(issuerPath, discovery),
    options,
    records,
    clients: new ClientRegistry(options.clients),
    signer,
    codes: new Map(),
    refreshGrants: new Map(),
    seenAssertionIds: new Set(),
    scopesSupported,
    now: options.now ?? Date.now,
  };
  // Fail at start, not at the first request, when a variant cannot be built for this issuer.
  const iss = options.issParameter ?? "exact";
  let issInResponses: string | undefined;
  try {
    issInResponses = iss === "omit" ? undefined : issuerVariant(issuer, iss);
    issuerVariant(issuer, options.metadataIssuer ?? "exact");
  } catch (error) {
    await server.close();
    throw error;
  }
  const ready = context;
  return {
    issuer,
    metadataUrls: ready.metadataPaths.map((path) => `${server.origin}${path}`),
    authorizationEndpoint: ready.endpoints.authorization,
    tokenEndpoint: ready.endpoints.token,
    registrationEndpoint: ready.endpoints.registration,
    jwksUri: ready.endpoints.jwks,
    kid: signer.kid,
    signingAlgorithm: signer.alg,
    issInResponses,
    records,
    issueAccessToken: (claims) => {
      const now = Math.floor(ready.now() / 1000);
      return signer.sign({
        iss: issuer,
        sub: END_USER,
        client_id: "spec-test",
        scope: "",
        iat: now,
        exp: now + 3600,
        jti: randomUUID(),
        ...claims,
      });
    },
    addClient: (client) => {
      const registry = new ClientRegistry([client]);
      ready.clients.add(registry.get(client.client_id)!);
    },
    stop: () => server.close(),
  };
}

async function route(context: AsContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", context.origin);
  const path = url.pathname;
  const { endpoints } = context;
  const at = (endpoint: string | undefined) => endpoint !== undefined && path === new URL(endpoint).pathname;
  if (req.method === "GET" && context.metadataPaths.includes(path)) {
    context.records.metadata.push({ path, status: 200 });
    return sendJson(res, 200, metadataDocument(context));
  }
  if (path.startsWith("/.well-known/") || path.endsWith("/.well-known/openid-configuration")) {
    context.records.metadata.push({ path, status: 404 });
    return sendJson(res, 404, { error: "not_found" });
  }
  if (req.method === "GET" && at(endpoints.jwks)) {
    context.records.jwks += 1;
    return sendJson(res, 200, context.signer.jwks);
  }
  if (req.method === "GET" && at(endpoints.authorization)) return authorize(context, url, res);
  if (req.method === "POST" && at(endpoints.token)) return tokenEndpoint(context, req, res);
  if (req.method === "POST" && at(endpoints.registration)) return registrationEndpoint(context, req, res);
  sendJson(res, 404, { error: "not_found" });
}

async function registrationEndpoint(
  context: AsContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const text = await readBody(req);
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Recorded as text and refused below as invalid_client_metadata.
  }
  const record: AuthorizationServerRecords["registrations"][number] = { body, status: 0 };
  context.records.registrations.push(record);
  try {
    if (!(req.headers["content-type"] ?? "").startsWith("application/json")) {
      throw new OAuthFailure(
        "invalid_client_metadata",
        "the registration request is application/json (RFC 7591 §3.1)",
      );
    }
    const registered = register(context, body);
    record.status = 201;
    record.client_id = registered.client_id as string;
    sendJson(res, 201, registered, { "cache-control": "no-store" });
  } catch (error) {
    if (!(error instanceof OAuthFailure)) throw error;
    record.status = error.status;
    record.error = error.error;
    sendFailure(res, error);
  }
}

import { createHash, randomBytes } from "node:crypto";
import type { Server } from "node:http";
import express from "express";
import { SignJWT } from "jose";
import { trustedFetch } from "../../src/entra/trust.js";
import { recordIssuedSecret } from "../../src/tenant/secrets/secret-ledger.js";
import { close, listen } from "./mcp-endpoint.js";

/**
 * A spec-only OAuth 2.1 authorization server for the MCP client tests (no Entra quirks): metadata at
 * the well-known URL the variant asks for, /authorize that redirects at once (so headless sign-in
 * works), /token (authorization_code with PKCE, refresh_token, client_credentials), DCR, CIMD. It
 * records what clients send, so tests can check `resource`, PKCE and client authentication.
 */
export type ClientAuthMethod = "client_secret_basic" | "client_secret_post" | "none";

export interface SpecAsOptions {
  /** The issuer has a path (/tenant-a) or is the bare origin. */
  issuerPath?: boolean;
  /** Which metadata document is served. */
  metadata?: "oauth" | "openid";
  dcr?: boolean;
  cimd?: boolean;
  pkceAdvertised?: boolean;
  authMethods?: ClientAuthMethod[];
  clients?: Record<string, { secret?: string; method: ClientAuthMethod }>;
  /** Scopes the server may grant; others are dropped from what is granted. */
  grantable?: string[];
  /** /authorize answers with a login page (200) instead of redirecting. */
  interactiveLogin?: boolean;
  /** CA for fetching Client ID Metadata Documents over https. */
  caPems?: string[];
}

export interface AuthorizeRecord {
  params: Record<string, string>;
}
export interface TokenRecord {
  grantType: string;
  params: Record<string, string>;
  clientAuth: ClientAuthMethod;
  clientId?: string;
  pkceVerified?: boolean;
}

interface Client {
  secret?: string;
  method: ClientAuthMethod;
  redirectUris?: string[];
}

export interface SpecAuthorizationServer {
  issuer: string;
  origin: string;
  jwtSecret: Uint8Array;
  authorizeRequests: AuthorizeRecord[];
  tokenRequests: TokenRecord[];
  registrations: Record<string, unknown>[];
  cimdFetches: string[];
  /** Every code, access and refresh token issued (tests assert none reaches the output). */
  issued: string[];
  stop(): Promise<void>;
}

export async function startSpecAuthorizationServer(
  options: SpecAsOptions = {},
): Promise<SpecAuthorizationServer> {
  const app = express();
  const { server, origin } = await listen(app);
  const issuer = options.issuerPath ? `${origin}/tenant-a` : origin;
  const base = options.issuerPath ? "/tenant-a" : "";
  const jwtSecret = randomBytes(32);
  const clients = new Map<string, Client>(Object.entries(options.clients ?? {}));
  const codes = new Map<
    string,
    { clientId: string; redirectUri: string; challenge: string; scope: string; resource?: string }
  >();
  const refreshTokens = new Map<string, { clientId: string; scope: string; resource?: string }>();
  const grantable = new Set(options.grantable ?? ["mcp:tools", "mcp:admin"]);
  const fixture: SpecAuthorizationServer = {
    issuer,
    origin,
    jwtSecret,
    authorizeRequests: [],
    tokenRequests: [],
    registrations: [],
    cimdFetches: [],
    issued: [],
    stop: () => close(server),
  };

  const metadata = {
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    ...(options.dcr ? { registration_endpoint: `${issuer}/register` } : {}),
    response_types_supported: ["code"],
    grant_types_supported: ["authorization_code", "refresh_token", "client_credentials"],
    token_endpoint_auth_methods_supported: options.authMethods ?? [
      "client_secret_basic",
      "client_secret_post",
      "none",
    ],
    ...(options.pkceAdvertised === false ? {} : { code_challenge_methods_supported: ["S256"] }),
    ...(options.cimd ? { client_id_metadata_document_supported: true } : {}),
    scopes_supported: [...grantable],
  };
  const openid = {
    ...metadata,
    jwks_uri: `${issuer}/jwks`,
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: ["RS256"],
  };
  const path = base;
  if (options.metadata === "openid") {
    // With a path, only the last URL of the spec's order answers; without one, the second.
    app.get(
      path ? `${path}/.well-known/openid-configuration` : "/.well-known/openid-configuration",
      (_req, res) => {
        res.json(openid);
      },
    );
  } else {
    app.get(`/.well-known/oauth-authorization-server${path}`, (_req, res) => {
      res.json(metadata);
    });
  }

  async function clientFor(clientId: string): Promise<Client | undefined> {
    const known = clients.get(clientId);
    if (known || !options.cimd || !clientId.startsWith("https://")) return known;
    fixture.cimdFetches.push(clientId);
    const response = await trustedFetch(options.caPems ?? [])(clientId);
    if (!response.ok) return undefined;
    const document = (await response.json()) as { client_id?: string; redirect_uris?: string[] };
    if (document.client_id !== clientId) return undefined;
    return { method: "none", redirectUris: document.redirect_uris ?? [] };
  }

  app.get(`${base}/authorize`, async (req, res) => {
    const params = Object.fromEntries(Object.entries(req.query).map(([key, value]) => [key, String(value)]));
    fixture.authorizeRequests.push({ params });
    if (options.interactiveLogin) {
      res
        .type("html")
        .send(
          "<!doctype html><form method=post><input name=username><input name=password type=password></form>",
        );
      return;
    }
    const client = params.client_id ? await clientFor(params.client_id) : undefined;
    const redirectUri = params.redirect_uri ?? "";
    if (!client || !redirectAllowed(client, redirectUri)) {
      res.status(400).json({ error: "invalid_request", error_description: "unknown client or redirect_uri" });
      return;
    }
    const back = new URL(redirectUri);
    if (params.state) back.searchParams.set("state", params.state);
    if (
      params.response_type !== "code" ||
      params.code_challenge_method !== "S256" ||
      !params.code_challenge
    ) {
      back.searchParams.set("error", "invalid_request");
      back.searchParams.set("error_description", "response_type=code and PKCE S256 are required");
      res.redirect(302, back.href);
      return;
    }
    const code = randomBytes(16).toString("base64url");
    fixture.issued.push(code);
    codes.set(code, {
      clientId: params.client_id!,
      redirectUri,
      challenge: params.code_challenge,
      scope: params.scope ?? "",
      resource: params.resource,
    });
    back.searchParams.set("code", code);
    res.redirect(302, back.href);
  });

  app.post(`${base}/token`, express.urlencoded({ extended: false }), async (req, res) => {
    const params = req.body as Record<string, string>;
    const { clientId, clientAuth, secret } = presentedClient(req.headers.authorization, params);
    const record: TokenRecord = {
      grantType: params.grant_type ?? "",
      params: { ...params },
      clientAuth,
      clientId,
    };
    fixture.tokenRequests.push(record);
    const client = clientId ? await clientFor(clientId) : undefined;
    if (
      !client ||
      client.method !== clientAuth ||
      (client.secret !== undefined && client.secret !== secret)
    ) {
      res
        .status(401)
        .json({ error: "invalid_client", error_description: `client authentication failed (${clientAuth})` });
      return;
    }
    let scope: string;
    let resource: string | undefined;
    if (params.grant_type === "authorization_code") {
      const grant = codes.get(params.code ?? "");
      codes.delete(params.code ?? "");
      const verifier = params.code_verifier ?? "";
      record.pkceVerified =
        Boolean(grant) && createHash("sha256").update(verifier).digest("base64url") === grant?.challenge;
      if (
        !grant ||
        grant.clientId !== clientId ||
        grant.redirectUri !== params.redirect_uri ||
        !record.pkceVerified
      ) {
        res
          .status(400)
          .json({ error: "invalid_grant", error_description: "bad code, redirect_uri or code_verifier" });
        return;
      }
      if (grant.resource !== params.resource) {
        res.status(400).json({
          error: "invalid_target",
          error_description: "resource differs from the authorization request",
        });
        return;
      }
      ({ scope, resource } = grant);
    } else if (params.grant_type === "refresh_token") {
      const grant = refreshTokens.get(params.refresh_token ?? "");
      if (!grant || grant.clientId !== clientId) {
        res.status(400).json({ error: "invalid_grant", error_description: "unknown refresh token" });
        return;
      }
      refreshTokens.delete(params.refresh_token ?? "");
      ({ scope, resource } = grant);
    } else if (params.grant_type === "client_credentials" && client.secret) {
      scope = params.scope ?? "";
      resource = params.resource;
    } else {
      res.status(400).json({ error: "unsupported_grant_type" });
      return;
    }
    const granted = scope.split(" ").filter((value) => grantable.has(value));
    if (granted.length === 0) granted.push("mcp:tools");
    const accessToken = await new SignJWT({ scope: granted.join(" "), client_id: clientId })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer(issuer)
      .setSubject(params.grant_type === "client_credentials" ? `app:${clientId}` : "user-1")
      .setAudience(resource ?? "urn:no-resource")
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(jwtSecret);
    const body: Record<string, unknown> = {
      access_token: accessToken,
      token_type: "Bearer",
      expires_in: 3600,
      scope: granted.join(" "),
    };
    fixture.issued.push(accessToken);
    recordIssuedSecret(accessToken);
    if (params.grant_type !== "client_credentials") {
      const refresh = randomBytes(24).toString("base64url");
      refreshTokens.set(refresh, { clientId: clientId!, scope, resource });
      fixture.issued.push(refresh);
      recordIssuedSecret(refresh);
      body.refresh_token = refresh;
    }
    res.set("Cache-Control", "no-store").json(body);
  });

  app.post(`${base}/register`, express.json(), (req, res) => {
    if (!options.dcr) {
      res.status(404).end();
      return;
    }
    const body = req.body as { redirect_uris?: string[]; token_endpoint_auth_method?: ClientAuthMethod };
    fixture.registrations.push(body);
    const clientId = `dcr-${randomBytes(6).toString("hex")}`;
    const method = body.token_endpoint_auth_method ?? "client_secret_basic";
    const secret = method === "none" ? undefined : randomBytes(16).toString("base64url");
    clients.set(clientId, { method, secret, redirectUris: body.redirect_uris ?? [] });
    if (secret) {
      fixture.issued.push(secret);
      recordIssuedSecret(secret);
    }
    res
      .status(201)
      .json({ ...body, client_id: clientId, client_secret: secret, token_endpoint_auth_method: method });
  });

  return fixture;
}

/** Loopback redirect URIs match whatever the port (RFC 8252 §7.3); others exactly. */
function redirectAllowed(client: Client, redirectUri: string): boolean {
  if (!client.redirectUris) return /^http:\/\/127\.0\.0\.1(:\d+)?\//.test(redirectUri);
  const withoutPort = (uri: string) => uri.replace(/^(http:\/\/127\.0\.0\.1):\d+/, "$1");
  return client.redirectUris.some((uri) => withoutPort(uri) === withoutPort(redirectUri));
}

function presentedClient(authorization: string | undefined, params: Record<string, string>) {
  if (authorization?.startsWith("Basic ")) {
    const [id, secret] = Buffer.from(authorization.slice(6), "base64").toString().split(":");
    return {
      clientId: decodeURIComponent(id ?? ""),
      secret: decodeURIComponent(secret ?? ""),
      clientAuth: "client_secret_basic" as const,
    };
  }
  if (params.client_secret)
    return {
      clientId: params.client_id,
      secret: params.client_secret,
      clientAuth: "client_secret_post" as const,
    };
  return { clientId: params.client_id, secret: undefined, clientAuth: "none" as const };
}

export type { Server };

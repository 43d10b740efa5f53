import { createRemoteJWKSet, jwtVerify } from "jose";
import { afterEach, describe, expect, it } from "vitest";
import {
  type AuthorizationServerFixture,
  type AuthorizationServerOptions,
  startAuthorizationServer,
} from "./authorization-server.js";
import { listen } from "./http-server.js";
import { authorizeOnce, getJson, pkcePair, registerClient, tokenRequest } from "./plain-oauth-client.js";

const REDIRECT = "http://127.0.0.1:53682/callback";
const RESOURCE = "http://127.0.0.1:9/mcp";
const running: Array<{ stop(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((fixture) => fixture.stop()));
});

async function start(options: AuthorizationServerOptions = {}): Promise<AuthorizationServerFixture> {
  const as = await startAuthorizationServer(options);
  running.push(as);
  return as;
}

async function nativeClient(
  as: AuthorizationServerFixture,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const { status, body } = await registerClient(as.registrationEndpoint!, {
    redirect_uris: [REDIRECT],
    token_endpoint_auth_method: "none",
    grant_types: ["authorization_code", "refresh_token"],
    application_type: "native",
    ...extra,
  });
  expect(status).toBe(201);
  return body.client_id as string;
}

async function signIn(
  as: AuthorizationServerFixture,
  clientId: string,
  extra: Record<string, string | string[]> = {},
) {
  const { verifier, challenge } = pkcePair();
  const answer = await authorizeOnce(as.authorizationEndpoint, {
    response_type: "code",
    client_id: clientId,
    redirect_uri: REDIRECT,
    code_challenge: challenge,
    code_challenge_method: "S256",
    state: "xyz",
    resource: RESOURCE,
    scope: "mcp:read",
    ...extra,
  });
  return { ...answer, verifier };
}

/** RFC 6749 §4.1.3: the code of `location`, with the PKCE verifier and the resource. */
function redeem(
  as: AuthorizationServerFixture,
  clientId: string,
  location: URL,
  verifier: string,
  extra: Record<string, string> = {},
) {
  return tokenRequest(as.tokenEndpoint, {
    grant_type: "authorization_code",
    code: location.searchParams.get("code") ?? "",
    redirect_uri: REDIRECT,
    client_id: clientId,
    code_verifier: verifier,
    resource: RESOURCE,
    ...extra,
  });
}

describe("authorization server metadata (RFC 8414, OIDC Discovery)", () => {
  it("serves oauth-authorization-server for an issuer without path, and its issuer is the URL's issuer", async () => {
    const as = await start();
    expect(as.metadataUrls).toEqual([`${as.issuer}/.well-known/oauth-authorization-server`]);
    const { status, body } = await getJson(as.metadataUrls[0]!);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      issuer: as.issuer,
      code_challenge_methods_supported: ["S256"],
      authorization_response_iss_parameter_supported: true,
      scopes_supported: ["mcp:read", "mcp:write"],
    });
    expect(body.client_id_metadata_document_supported).toBeUndefined();
    expect((await getJson(`${as.issuer}/.well-known/openid-configuration`)).status).toBe(404);
  });

  it("serves the three path-aware locations for an issuer with a path, OIDC included", async () => {
    const as = await start({
      issuerPath: "/tenant1",
      discovery: "both",
      offlineAccess: true,
      clientIdMetadataDocuments: true,
    });
    const origin = new URL(as.issuer).origin;
    expect(as.metadataUrls).toEqual([
      `${origin}/.well-known/oauth-authorization-server/tenant1`,
      `${origin}/.well-known/openid-configuration/tenant1`,
      `${origin}/tenant1/.well-known/openid-configuration`,
    ]);
    for (const url of as.metadataUrls) {
      const { body } = await getJson(url);
      expect(body.issuer).toBe(`${origin}/tenant1`);
      expect(body.scopes_supported).toContain("offline_access");
      expect(body.client_id_metadata_document_supported).toBe(true);
    }
    expect((await getJson(`${origin}/.well-known/oauth-authorization-server`)).status).toBe(404);
  });

  it("can put another issuer in the document than the one its URL was built from", async () => {
    const as = await start({
      issuerPath: "/t",
      metadataIssuer: "trailing-slash",
      advertiseIssParameter: false,
      pkce: "not-advertised",
    });
    const { body } = await getJson(as.metadataUrls[0]!);
    expect(body.issuer).toBe(`${as.issuer}/`);
    expect(body.authorization_response_iss_parameter_supported).toBeUndefined();
    expect(body.code_challenge_methods_supported).toBeUndefined();
  });
});

describe("authorization code flow (RFC 6749, 7636, 8707, 9207)", () => {
  it("redirects at once with code, state and iss, and the code buys a JWT for the resource", async () => {
    const as = await start();
    const clientId = await nativeClient(as);
    const { location, verifier } = await signIn(as, clientId);
    expect(location?.origin + location!.pathname).toBe(REDIRECT);
    expect(location?.searchParams.get("state")).toBe("xyz");
    expect(location?.searchParams.get("iss")).toBe(as.issuer);
    const token = await redeem(as, clientId, location!, verifier);
    expect(token.status).toBe(200);
    expect(token.headers.get("cache-control")).toBe("no-store");
    const { payload, protectedHeader } = await jwtVerify(
      token.body.access_token as string,
      createRemoteJWKSet(new URL(as.jwksUri)),
      {
        issuer: as.issuer,
        audience: RESOURCE,
      },
    );
    expect(protectedHeader).toMatchObject({ kid: as.kid, typ: "at+jwt" });
    expect(payload).toMatchObject({ scope: "mcp:read", client_id: clientId });
    expect(as.records.tokens[0]).toMatchObject({
      client_auth: "none",
      status: 200,
      refresh_token_issued: true,
    });

    const refreshed = await tokenRequest(as.tokenEndpoint, {
      grant_type: "refresh_token",
      refresh_token: token.body.refresh_token as string,
      client_id: clientId,
      resource: RESOURCE,
    });
    expect(refreshed.status).toBe(200);
    const reused = await tokenRequest(as.tokenEndpoint, {
      grant_type: "refresh_token",
      refresh_token: token.body.refresh_token as string,
      client_id: clientId,
      resource: RESOURCE,
    });
    expect(reused.body.error).toBe("invalid_grant");
    const codeAgain = await redeem(as, clientId, location!, verifier);
    expect(codeAgain.body.error).toBe("invalid_grant");
  });

  it.each([
    ["omit", undefined],
    ["other-issuer", (issuer: string) => issuer.replace(/127\.0\.0\.1/, "other-issuer.invalid")],
    ["uppercase", (issuer: string) => issuer.replace("http://", "HTTP://")],
    ["trailing-slash", (issuer: string) => `${issuer}/`],
    ["percent-encoded", (issuer: string) => issuer.replace("/tenant1", "/%74enant1")],
  ] as const)("puts iss %s into the authorization response", async (variant, expected) => {
    const as = await start({ issuerPath: "/tenant1", issParameter: variant });
    const { location } = await signIn(as, await nativeClient(as));
    const iss = location?.searchParams.get("iss") ?? undefined;
    expect(iss).toBe(expected?.(as.issuer));
    expect(iss).toBe(as.issInResponses);
    if (expected) expect(iss).not.toBe(as.issuer);
  });

  it("spells the default port out for an issuer on port 80", async () => {
    const as = await start({ listen: "default-port", issParameter: "default-port" });
    expect(new URL(as.issuer).port).toBe("");
    const { location } = await signIn(as, await nativeClient(as));
    expect(location?.searchParams.get("iss")).toBe(`${as.issuer}:80`);
  });

  it("upper-cases the host of an issuer named localhost", async () => {
    const as = await start({ listen: { host: "localhost" }, issParameter: "uppercase" });
    expect(as.issuer).toMatch(/^http:\/\/localhost:\d+$/);
    const { location } = await signIn(as, await nativeClient(as));
    expect(location?.searchParams.get("iss")).toBe(as.issuer.replace("http://localhost", "HTTP://LOCALHOST"));
  });

  it("requires PKCE with S256, the resource, and known scopes; errors carry state and iss", async () => {
    const as = await start();
    const clientId = await nativeClient(as);
    const noChallenge = await signIn(as, clientId, { code_challenge: "" });
    expect(noChallenge.location?.searchParams.get("error")).toBe("invalid_request");
    expect(noChallenge.location?.searchParams.get("iss")).toBe(as.issuer);
    expect(noChallenge.location?.searchParams.get("state")).toBe("xyz");
    const plain = await signIn(as, clientId, { code_challenge_method: "plain" });
    expect(plain.location?.searchParams.get("error")).toBe("invalid_request");
    const noResource = await signIn(as, clientId, { resource: [] });
    expect(noResource.location?.searchParams.get("error")).toBe("invalid_target");
    const offline = await signIn(as, clientId, { scope: "mcp:read offline_access" });
    expect(offline.location?.searchParams.get("error")).toBe("invalid_scope");
    const unknownRedirect = await signIn(as, clientId, { redirect_uri: "http://127.0.0.1:1/elsewhere" });
    expect(unknownRedirect).toMatchObject({ status: 400, body: { error: "invalid_request" } });

    const good = await signIn(as, clientId);
    const wrongVerifier = await redeem(as, clientId, good.location!, pkcePair().verifier);
    expect(wrongVerifier.body.error).toBe("invalid_grant");
    const another = await signIn(as, clientId);
    const widerResource = await redeem(as, clientId, another.location!, another.verifier, {
      resource: "http://127.0.0.1:9/other",
    });
    expect(widerResource.body.error).toBe("invalid_target");
  });

  it("issues refresh tokens only for offline_access when it lists offline_access", async () => {
    const as = await start({ offlineAccess: true });
    const clientId = await nativeClient(as);
    for (const scope of ["mcp:read", "mcp:read offline_access"]) {
      const { location, verifier } = await signIn(as, clientId, { scope });
      const token = await redeem(as, clientId, location!, verifier);
      expect(token.body.refresh_token !== undefined).toBe(scope.includes("offline_access"));
    }
    expect(as.records.authorizations.map((record) => record.params.scope)).toEqual([
      "mcp:read",
      "mcp:read offline_access",
    ]);
  });
});

describe("dynamic client registration (RFC 7591, OIDC application_type)", () => {
  it.each([
    [{ redirect_uris: [] }, "invalid_redirect_uri"],
    [{ redirect_uris: ["http://example.com/cb"] }, "invalid_redirect_uri"],
    [{ redirect_uris: ["http://127.0.0.1:1/cb#frag"] }, "invalid_redirect_uri"],
    [{ redirect_uris: [REDIRECT], response_types: ["token"] }, "invalid_client_metadata"],
    [{ redirect_uris: [REDIRECT], grant_types: ["client_credentials"] }, "invalid_client_metadata"],
    [
      { redirect_uris: [REDIRECT], jwks: { keys: [{ kty: "EC" }] }, jwks_uri: "https://x.invalid/jwks" },
      "invalid_client_metadata",
    ],
    [{ redirect_uris: [REDIRECT], token_endpoint_auth_method: "tls_client_auth" }, "invalid_client_metadata"],
    [{ redirect_uris: [REDIRECT], application_type: "desktop" }, "invalid_client_metadata"],
  ])("refuses %j with %s", async (metadata, error) => {
    const as = await start();
    const { status, body } = await registerClient(as.registrationEndpoint!, metadata);
    expect(status).toBe(400);
    expect(body.error).toBe(error);
    expect(as.records.registrations[0]).toMatchObject({ body: metadata, status: 400, error });
  });

  it("records application_type and, when enforcing OIDC rules, refuses loopback redirects for web clients", async () => {
    const as = await start({ enforceApplicationType: true });
    const native = await registerClient(as.registrationEndpoint!, {
      redirect_uris: [REDIRECT],
      application_type: "native",
      token_endpoint_auth_method: "none",
    });
    expect(native.status).toBe(201);
    expect(native.body.client_secret).toBeUndefined();
    const omitted = await registerClient(as.registrationEndpoint!, {
      redirect_uris: [REDIRECT],
      token_endpoint_auth_method: "none",
    });
    expect(omitted.body.error).toBe("invalid_redirect_uri");
    const web = await registerClient(as.registrationEndpoint!, {
      redirect_uris: ["https://app.example/cb"],
      application_type: "web",
    });
    expect(web.status).toBe(201);
    expect(web.body.client_secret).toEqual(expect.any(String));
    expect(
      as.records.registrations.map(
        (record) => (record.body as { application_type?: string }).application_type,
      ),
    ).toEqual(["native", undefined, "web"]);
  });
});

describe("client ID metadata documents", () => {
  it("reads a URL client id's document, and refuses one whose client_id differs from its URL", async () => {
    const documents = new Map<string, unknown>();
    const host = await listen((req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(documents.get(req.url ?? "")));
    });
    running.push({ stop: host.close });
    const as = await start({ clientIdMetadataDocuments: { allowHttp: true } });
    const good = `${host.origin}/client.json`;
    documents.set("/client.json", { client_id: good, client_name: "self-check", redirect_uris: [REDIRECT] });
    documents.set("/liar.json", { client_id: good, client_name: "liar", redirect_uris: [REDIRECT] });
    const { location, verifier } = await signIn(as, good);
    expect(location?.searchParams.get("code")).toEqual(expect.any(String));
    const token = await redeem(as, good, location!, verifier);
    expect(token.status).toBe(200);
    const liar = await signIn(as, `${host.origin}/liar.json`);
    expect(liar).toMatchObject({ status: 400, body: { error: "invalid_client" } });
    expect(as.records.clientMetadataFetches.map((fetch) => fetch.url)).toEqual([
      good,
      `${host.origin}/liar.json`,
    ]);
  });
});

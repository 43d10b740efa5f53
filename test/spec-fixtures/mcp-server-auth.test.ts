import type { Client } from "@modelcontextprotocol/client";
import { afterEach, describe, expect, it } from "vitest";
import { type AuthorizationServerOptions, startAuthorizationServer } from "./authorization-server.js";
import { type McpServerOptions, startMcpServer, TOOL } from "./mcp-server.js";
import { connectSignedIn, HeadlessOAuthProvider } from "./sdk-oauth-client.js";

const running: Array<{ stop(): Promise<void> }> = [];
const clients: Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await Promise.all(running.splice(0).map((fixture) => fixture.stop()));
});

async function pair(mcp: McpServerOptions = {}, as: AuthorizationServerOptions = {}) {
  const authorizationServer = await startAuthorizationServer(as);
  running.push(authorizationServer);
  const server = await startMcpServer({ authorizationServers: [authorizationServer], ...mcp });
  running.push(server);
  return { as: authorizationServer, server, provider: new HeadlessOAuthProvider() };
}

async function signIn(url: string, provider: HeadlessOAuthProvider) {
  const signedIn = await connectSignedIn(url, provider);
  clients.push(signedIn.client);
  return signedIn;
}

describe("a server that asks on every request", () => {
  it("challenges the first request, and the SDK signs in through PRM, DCR, PKCE and resource", async () => {
    const { as, server, provider } = await pair();
    const { client, run } = await signIn(server.url, provider);
    expect(client.getProtocolEra()).toBe("modern");
    expect((await run((c) => c.callTool({ name: TOOL.echo, arguments: { text: "hi" } }))).content).toEqual([
      { type: "text", text: "hi" },
    ]);
    const first = server.records.requests[0]!;
    expect(first).toMatchObject({ status: 401, token: "none", refusal: "unauthorized" });
    expect(first.wwwAuthenticate).toBe(
      `Bearer scope="mcp:read", resource_metadata="${server.prmUrls.pathAware}"`,
    );
    expect(server.records.prm[0]).toEqual({ path: "/.well-known/oauth-protected-resource/mcp", status: 200 });
    expect(as.records.registrations[0]?.body).toMatchObject({ application_type: "native" });
    expect(as.records.authorizations[0]?.params).toMatchObject({
      resource: server.url,
      scope: "mcp:read",
      code_challenge_method: "S256",
    });
    expect(as.records.tokens[0]).toMatchObject({
      grant_type: "authorization_code",
      status: 200,
      params: { resource: server.url },
    });
    expect(server.records.requests.at(-1)).toMatchObject({ token: "valid", status: 200 });
  });

  it("can be found only through the challenge, and its AS only through OIDC discovery", async () => {
    const { as, server, provider } = await pair(
      { prm: { wellKnown: "none" } },
      { issuerPath: "/tenant1", discovery: "openid" },
    );
    expect(server.prmUrls).toEqual({
      challengeOnly: `${new URL(server.url).origin}/metadata/protected-resource.json`,
    });
    await signIn(server.url, provider);
    expect(server.records.prm).toEqual([{ path: "/metadata/protected-resource.json", status: 200 }]);
    expect(as.records.metadata.map((record) => [record.path, record.status])).toEqual([
      ["/.well-known/oauth-authorization-server/tenant1", 404],
      ["/.well-known/openid-configuration/tenant1", 200],
    ]);
  });

  it("serves a 2025-11-25-only server the same way", async () => {
    const { server, provider } = await pair({ eras: "2025-11-25" });
    const { client, run } = await signIn(server.url, provider);
    expect(client.getProtocolEra()).toBe("legacy");
    expect((await run((c) => c.listTools())).tools.length).toBeGreaterThan(0);
  });
});

describe("a lazy server (401 only on tools/list and tools/call)", () => {
  it("lets discovery through without a token and asks on tools/list, with scope", async () => {
    const { as, server, provider } = await pair({ auth: "lazy" });
    const { client, run } = await signIn(server.url, provider);
    expect(client.getProtocolEra()).toBe("modern");
    expect(as.records.authorizations).toHaveLength(0);
    expect(server.records.requests[0]).toMatchObject({
      rpcMethod: "server/discover",
      token: "none",
      status: 200,
    });
    await run((c) => c.listTools());
    const challenge = server.records.requests.find((request) => request.status === 401)!;
    expect(challenge).toMatchObject({ rpcMethod: "tools/list", token: "none" });
    expect(challenge.wwwAuthenticate).toContain('scope="mcp:read"');
    expect(as.records.authorizations).toHaveLength(1);
  });

  it("lets a 2025 initialize through and asks on tools/call", async () => {
    const { server, provider } = await pair({ auth: "lazy", eras: "both" });
    const { run } = await signIn(server.url, provider);
    await run((c) => c.callTool({ name: TOOL.echo, arguments: { text: "x" } }));
    expect(server.records.requests.find((request) => request.status === 401)?.rpcMethod).toBe("tools/call");
  });
});

describe("step-up (403 insufficient_scope)", () => {
  it("names the operation's scope; the SDK re-authorizes with the union and the call succeeds", async () => {
    const { as, server, provider } = await pair({ stepUp: {} });
    const { run } = await signIn(server.url, provider);
    const result = await run((c) => c.callTool({ name: TOOL.stepUp, arguments: {} }));
    expect(result.content).toEqual([{ type: "text", text: "reset done" }]);
    const refusal = server.records.requests.find((request) => request.status === 403)!;
    expect(refusal.wwwAuthenticate).toMatch(
      /^Bearer error="insufficient_scope", error_description="[^"]+", scope="mcp:write", resource_metadata=/,
    );
    expect(as.records.authorizations.map((record) => record.params.scope)).toEqual([
      "mcp:read",
      "mcp:read mcp:write",
    ]);
  });

  it("keeps refusing whatever is granted, so a client must stop", async () => {
    const { server, provider } = await pair({ stepUp: { refuseAlways: true, challenge: "all-required" } });
    const { run } = await signIn(server.url, provider);
    await expect(run((c) => c.callTool({ name: TOOL.stepUp, arguments: {} }))).rejects.toThrow();
    const refusals = server.records.requests.filter((request) => request.status === 403);
    expect(refusals.length).toBeGreaterThanOrEqual(2);
    expect(refusals.every((request) => request.wwwAuthenticate?.includes('scope="mcp:read mcp:write"'))).toBe(
      true,
    );
  });
});

describe("PRM resource (RFC 9728, RFC 8707)", () => {
  it("a root PRM whose resource is the origin is accepted, and its value is sent as resource", async () => {
    const { as, server, provider } = await pair({
      prm: { wellKnown: "root", resource: "origin", inChallenge: false },
    });
    expect(server.resource).toBe(new URL(server.url).origin);
    await signIn(server.url, provider);
    expect(server.records.prm.map((record) => record.status)).toEqual([404, 200]);
    expect(as.records.authorizations[0]?.params.resource).toBe(server.resource);
    expect(as.records.tokens[0]?.issued?.aud).toBe(server.resource);
  });

  it("a PRM naming another origin is refused before any authorization request", async () => {
    const { as, server, provider } = await pair({ prm: { resource: "other-origin" } });
    await expect(signIn(server.url, provider)).rejects.toThrow();
    expect(as.records.authorizations).toHaveLength(0);
  });
});

describe("RFC 9207 iss and RFC 8414 issuer, through the SDK", () => {
  it.each(["trailing-slash", "uppercase", "other-issuer", "percent-encoded"] as const)(
    "iss %s is refused",
    async (issParameter) => {
      const { as, provider, server } = await pair({}, { issParameter, issuerPath: "/tenant1" });
      await expect(signIn(server.url, provider)).rejects.toThrow(/iss/i);
      expect(as.records.tokens).toHaveLength(0);
    },
  );

  it("a missing iss is refused when advertised, and accepted when not", async () => {
    const advertised = await pair({}, { issParameter: "omit" });
    await expect(signIn(advertised.server.url, advertised.provider)).rejects.toThrow();
    expect(advertised.as.records.tokens).toHaveLength(0);
    const quiet = await pair({}, { issParameter: "omit", advertiseIssParameter: false });
    await signIn(quiet.server.url, quiet.provider);
    expect(quiet.as.records.tokens[0]?.status).toBe(200);
  });

  it("metadata whose issuer differs from the URL's is not used", async () => {
    const { as, provider, server } = await pair(
      {},
      { issuerPath: "/tenant1", metadataIssuer: "trailing-slash" },
    );
    await expect(signIn(server.url, provider)).rejects.toThrow();
    expect(as.records.authorizations).toHaveLength(0);
    expect(as.records.registrations).toHaveLength(0);
  });
});

describe("authorization server migration", () => {
  it("after the PRM names another AS, old tokens are refused and the client registers with the new AS", async () => {
    const { as, server, provider } = await pair();
    const other = await startAuthorizationServer();
    running.push(other);
    await signIn(server.url, provider);
    server.setAuthorizationServers([other]);
    // The SDK refreshes at the AS it discovered before and does not re-read the PRM: its refreshed token is refused.
    const stale = await signIn(server.url, provider).catch((error: Error) => error);
    expect(stale).toBeInstanceOf(Error);
    const refused = server.records.requests.find((request) => request.token === "invalid")!;
    expect(refused).toMatchObject({ status: 401, refusal: "unauthorized" });
    expect(refused.tokenError).toContain("not an authorization server of this resource");
    expect(as.records.tokens.map((record) => record.grant_type)).toEqual([
      "authorization_code",
      "refresh_token",
    ]);
    // A client that reads the PRM again finds the new AS and registers there.
    provider.forgetSession();
    const { run } = await signIn(server.url, provider);
    await run((c) => c.listTools());
    expect(as.records.registrations).toHaveLength(1);
    expect(other.records.registrations).toHaveLength(1);
    expect(other.records.authorizations[0]?.params.client_id).toBe(other.records.registrations[0]?.client_id);
  });
});

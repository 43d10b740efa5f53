import {
  Client,
  ClientCredentialsProvider,
  PrivateKeyJwtProvider,
  StreamableHTTPClientTransport,
} from "@modelcontextprotocol/client";
import { afterEach, describe, expect, it } from "vitest";
import { type AuthorizationServerOptions, startAuthorizationServer } from "./authorization-server.js";
import { createClientKey } from "./client-keys.js";
import { startMcpServer, TOOL } from "./mcp-server.js";
import { tokenRequest } from "./plain-oauth-client.js";
import { createWorkloadIdentityIssuer } from "./workload-identity.js";

const JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
const ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const running: Array<{ stop(): Promise<void> }> = [];
const clients: Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await Promise.all(running.splice(0).map((fixture) => fixture.stop()));
});

async function pair(as: AuthorizationServerOptions) {
  const authorizationServer = await startAuthorizationServer({ signingAlgorithm: "ES256", ...as });
  const server = await startMcpServer({ authorizationServers: [authorizationServer] });
  running.push(authorizationServer, server);
  return { as: authorizationServer, server };
}

async function callEcho(
  url: string,
  authProvider: ConstructorParameters<typeof StreamableHTTPClientTransport>[1],
) {
  const client = new Client({ name: "spec-m2m", version: "1.0.0" }, { versionNegotiation: { mode: "auto" } });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), authProvider));
  clients.push(client);
  return client.callTool({ name: TOOL.echo, arguments: { text: "machine" } });
}

describe("client credentials (extensions/auth/oauth-client-credentials.mdx, RFC 6749 §4.4)", () => {
  it("client_secret_basic through the SDK's ClientCredentialsProvider", async () => {
    const secret = "s3cr:t/odd=chars";
    const { as, server } = await pair({ clients: [{ client_id: "job-1", client_secret: secret }] });
    const provider = new ClientCredentialsProvider({
      clientId: "job-1",
      clientSecret: secret,
      scope: "mcp:read",
      expectedIssuer: as.issuer,
    });
    expect((await callEcho(server.url, { authProvider: provider })).content).toEqual([
      { type: "text", text: "machine" },
    ]);
    expect(as.records.tokens[0]).toMatchObject({
      grant_type: "client_credentials",
      client_auth: "client_secret_basic",
      status: 200,
    });
    expect(as.records.tokens[0]?.issued).toMatchObject({ sub: "job-1", aud: server.url, scope: "mcp:read" });
  });

  it("decodes Basic credentials as RFC 6749 §2.3.1 encodes them (form-urlencoded, then Base64)", async () => {
    const { as } = await pair({ clients: [{ client_id: "job:1", client_secret: "a+b%c d" }] });
    const base = { grant_type: "client_credentials", resource: "http://127.0.0.1:9/mcp" };
    expect((await tokenRequest(as.tokenEndpoint, base, { id: "job:1", secret: "a+b%c d" })).status).toBe(200);
    const raw = Buffer.from("job:1:a+b%c d").toString("base64");
    const unencoded = await fetch(as.tokenEndpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${raw}` },
      body: new URLSearchParams(base),
    });
    expect(unencoded.status).toBe(401);
  });

  it.each(["ES256", "RS256"] as const)(
    "private_key_jwt with an %s key through the SDK's PrivateKeyJwtProvider",
    async (alg) => {
      const key = await createClientKey(alg);
      const { as, server } = await pair({
        clients: [{ client_id: "signer", jwks: { keys: [key.publicJwk] } }],
      });
      const provider = new PrivateKeyJwtProvider({
        clientId: "signer",
        privateKey: key.privateKeyPem,
        algorithm: alg,
        scope: "mcp:read",
        expectedIssuer: as.issuer,
      });
      expect((await callEcho(server.url, { authProvider: provider })).isError).toBeFalsy();
      expect(as.records.tokens[0]).toMatchObject({
        client_auth: "private_key_jwt",
        client_id: "signer",
        status: 200,
      });
      expect(as.records.tokens[0]?.params.client_assertion_type).toBe(ASSERTION_TYPE);
    },
  );

  it("refuses a wrong secret, two methods at once, a public client, a replayed or foreign assertion", async () => {
    const key = await createClientKey("ES256");
    const stranger = await createClientKey("ES256");
    const { as } = await pair({
      clients: [
        { client_id: "job", client_secret: "right", token_endpoint_auth_method: "client_secret_post" },
        { client_id: "signer", jwks: { keys: [key.publicJwk] } },
        { client_id: "public", redirect_uris: ["http://127.0.0.1:1/cb"] },
      ],
    });
    const base = { grant_type: "client_credentials", resource: "http://127.0.0.1:9/mcp" };
    const wrong = await tokenRequest(as.tokenEndpoint, { ...base, client_id: "job", client_secret: "wrong" });
    expect([wrong.status, wrong.body.error]).toEqual([401, "invalid_client"]);
    const basicForPost = await tokenRequest(as.tokenEndpoint, base, { id: "job", secret: "right" });
    expect(basicForPost.body.error).toBe("invalid_client");
    const both = await tokenRequest(
      as.tokenEndpoint,
      { ...base, client_id: "job", client_secret: "right" },
      { id: "job", secret: "right" },
    );
    expect(both.body.error).toBe("invalid_request");
    const publicClient = await tokenRequest(as.tokenEndpoint, { ...base, client_id: "public" });
    expect(publicClient.body.error).toBe("invalid_client");
    const assertion = await key.assertion("signer", as.tokenEndpoint);
    const signed = { ...base, client_assertion_type: ASSERTION_TYPE, client_assertion: assertion };
    expect((await tokenRequest(as.tokenEndpoint, signed)).status).toBe(200);
    expect((await tokenRequest(as.tokenEndpoint, signed)).body.error).toBe("invalid_client");
    const foreign = await tokenRequest(as.tokenEndpoint, {
      ...signed,
      client_assertion: await stranger.assertion("signer", as.issuer),
    });
    expect(foreign.body.error).toBe("invalid_client");
    expect(as.records.tokens.map((record) => record.client_auth)).toEqual([
      "client_secret_post",
      "client_secret_basic",
      "multiple",
      "none",
      "private_key_jwt",
      "private_key_jwt",
      "private_key_jwt",
    ]);
  });
});

describe("RFC 7523 jwt-bearer grant with a workload identity token", () => {
  it("trades a trusted external issuer's token for an access token the MCP server accepts", async () => {
    const workload = await createWorkloadIdentityIssuer();
    const { as, server } = await pair({
      trustedAssertionIssuers: [workload.trust({ subject: "repo:spec/fixtures" })],
    });
    const assertion = await workload.mint({ sub: "repo:spec/fixtures", aud: as.issuer });
    const token = await tokenRequest(as.tokenEndpoint, {
      grant_type: JWT_BEARER,
      assertion,
      scope: "mcp:read",
      resource: server.url,
    });
    expect(token.status).toBe(200);
    expect(as.records.tokens[0]?.issued).toMatchObject({ sub: "repo:spec/fixtures", aud: server.url });
    const result = await callEcho(server.url, {
      authProvider: { token: async () => token.body.access_token as string },
    });
    expect(result.content).toEqual([{ type: "text", text: "machine" }]);
  });

  it("refuses an untrusted issuer, another audience, another subject, and a replay", async () => {
    const workload = await createWorkloadIdentityIssuer();
    const rogue = await createWorkloadIdentityIssuer("https://rogue.invalid");
    const { as } = await pair({ trustedAssertionIssuers: [workload.trust({ subject: "ci" })] });
    const base = { grant_type: JWT_BEARER, resource: "http://127.0.0.1:9/mcp" };
    const cases = [
      await rogue.mint({ sub: "ci", aud: as.issuer }),
      await workload.mint({ sub: "ci", aud: "https://elsewhere.invalid" }),
      await workload.mint({ sub: "someone-else", aud: as.issuer }),
    ];
    for (const assertion of cases)
      expect((await tokenRequest(as.tokenEndpoint, { ...base, assertion })).body.error).toBe("invalid_grant");
    const once = await workload.mint({ sub: "ci", aud: as.tokenEndpoint });
    expect((await tokenRequest(as.tokenEndpoint, { ...base, assertion: once })).status).toBe(200);
    expect((await tokenRequest(as.tokenEndpoint, { ...base, assertion: once })).body.error).toBe(
      "invalid_grant",
    );
  });
});

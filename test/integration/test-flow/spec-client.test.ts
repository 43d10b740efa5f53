import { rm } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { tempDir } from "../../helpers/dev-tenant.js";
import { serveHttpsDocument } from "../../helpers/https-document.js";
import { expectValidReport } from "../../helpers/report-schema.js";
import { withSpecFixture } from "../../helpers/spec-fixture.js";
import { runFlow, step } from "../../helpers/test-flow.js";

/** Client identity, client authentication, scope selection, resource and PKCE against the spec fixture. */
describe("test-flow client identity and token requests (spec authorization server)", () => {
  const preRegistered = [
    {
      method: "client_secret_basic",
      secret: "basic-secret-value-123",
      authMethods: ["client_secret_basic", "client_secret_post"],
    },
    { method: "client_secret_post", secret: "post-secret-value-456", authMethods: ["client_secret_post"] },
    { method: "none", secret: undefined, authMethods: ["none"] },
  ] as const;

  for (const client of preRegistered) {
    it(`pre-registered client with ${client.method}`, async () => {
      await withSpecFixture(
        {
          clients: { "app-1": { method: client.method, secret: client.secret } },
          authMethods: [...client.authMethods],
          dcr: true,
        },
        { prm: "path-aware", scopesSupported: ["mcp:tools"] },
        async ({ as, mcp, home }) => {
          const { report, output } = await runFlow({
            serverUrl: mcp.url,
            home,
            auth: "headless",
            clientId: "app-1",
            clientSecret: client.secret,
          });
          expectValidReport(report);
          expect(report.exitCode).toBe(0);
          expect(step(report, "client-identity").evidence.method).toBe("pre-registered");
          expect(step(report, "client-identity").evidence.token_endpoint_auth_method).toBe(client.method);
          expect(as.registrations).toHaveLength(0);
          expect(as.tokenRequests[0]?.clientAuth).toBe(client.method);
          // scope from scopes_supported (no scope in the challenge)
          expect(step(report, "authorization").evidence["scope source"]).toBe("scopes_supported");
          expect(as.authorizeRequests[0]?.params.scope).toBe("mcp:tools");
          if (client.secret) expect(output).not.toContain(client.secret);
        },
      );
    });
  }

  it("sends resource (the canonical server URL) on the authorization and token requests, and uses PKCE S256 with state", async () => {
    await withSpecFixture(
      { dcr: true },
      { prm: "header", challengeScope: "mcp:tools" },
      async ({ as, mcp, home }) => {
        const { report } = await runFlow({ serverUrl: `${mcp.url}/`, home, auth: "headless" });
        expect(report.exitCode).toBe(0);
        expect(report.resource).toBe(mcp.url);
        const authorize = as.authorizeRequests[0]!.params;
        expect(authorize.resource).toBe(mcp.url);
        expect(authorize.code_challenge_method).toBe("S256");
        expect(authorize.state).toMatch(/^[\w-]{20,}$/);
        expect(authorize.prompt).toBeUndefined();
        expect(as.tokenRequests[0]?.params.resource).toBe(mcp.url);
        expect(as.tokenRequests[0]?.pkceVerified).toBe(true);
        expect(mcp.tokensInQuery).toBe(0);
      },
    );
  });

  it("--no-resource sends no resource on either request and says so in the report", async () => {
    await withSpecFixture(
      { dcr: true },
      { prm: "header", challengeScope: "mcp:tools" },
      async ({ as, mcp, home }) => {
        const { report } = await runFlow({ serverUrl: mcp.url, home, auth: "headless", resource: false });
        // The fixture's tokens then carry a placeholder audience, which the server rejects.
        expect(as.authorizeRequests[0]?.params.resource).toBeUndefined();
        expect(as.tokenRequests[0]?.params.resource).toBeUndefined();
        expect(report.options?.resourceParameter).toBe(false);
        expect(report.notes.join("\n")).toContain("--no-resource");
        expect(step(report, "authorization").evidence.resource).toBe("not sent (--no-resource)");
        expect(step(report, "session").error?.code).toBe("TOKEN_REJECTED");
        expect(report.exitCode).toBe(1);
      },
    );
  });

  it("registers dynamically when there is no pre-registered client, and reuses the registration next time", async () => {
    await withSpecFixture(
      { dcr: true },
      { prm: "header", challengeScope: "mcp:tools" },
      async ({ as, mcp, home }) => {
        const first = await runFlow({ serverUrl: mcp.url, home, auth: "headless" });
        expect(step(first.report, "client-identity").evidence.method).toBe("dynamic-registration");
        expect(as.registrations).toHaveLength(1);
        expect(as.registrations[0]).toMatchObject({ token_endpoint_auth_method: "none", scope: "mcp:tools" });
        const second = await runFlow({ serverUrl: mcp.url, home, auth: "headless", fresh: true });
        // --fresh ignores the stored registration and tokens
        expect(as.registrations).toHaveLength(2);
        expect(second.report.exitCode).toBe(0);
      },
    );
  });

  it("uses a Client ID Metadata Document when the server supports it and --client-metadata-url is given", async () => {
    const dir = await tempDir();
    const document = await serveHttpsDocument(dir, "/client.json", (url) => ({
      client_id: url,
      client_name: "mcp-entra test",
      redirect_uris: ["http://127.0.0.1/callback"],
      grant_types: ["authorization_code"],
      token_endpoint_auth_method: "none",
    }));
    try {
      await withSpecFixture(
        { cimd: true, dcr: true, caPems: [document.caPem] },
        { prm: "path-aware", challengeScope: "mcp:tools" },
        async ({ as, mcp, home }) => {
          const { report } = await runFlow({
            serverUrl: mcp.url,
            home,
            auth: "headless",
            clientMetadataUrl: document.url,
          });
          expectValidReport(report);
          expect(report.exitCode).toBe(0);
          const identity = step(report, "client-identity");
          expect(identity.evidence.method).toBe("client-id-metadata-document");
          expect(identity.evidence.client_id).toBe(document.url);
          expect(as.registrations).toHaveLength(0);
          expect(as.cimdFetches).toContain(document.url);
          expect(as.authorizeRequests[0]?.params.client_id).toBe(document.url);
        },
      );
      // Without support on the authorization server, the flow falls through to DCR.
      await withSpecFixture({ dcr: true }, { prm: "path-aware" }, async ({ as, mcp, home }) => {
        const { report } = await runFlow({
          serverUrl: mcp.url,
          home,
          auth: "headless",
          clientMetadataUrl: document.url,
        });
        expect(step(report, "client-identity").evidence.method).toBe("dynamic-registration");
        expect(as.cimdFetches).toHaveLength(0);
      });
    } finally {
      await document.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("without any way to identify the client, is a usage error that says how to pass --client-id", async () => {
    await withSpecFixture({}, { prm: "path-aware" }, async ({ as, mcp, home }) => {
      const { report, output } = await runFlow({ serverUrl: mcp.url, home, auth: "headless" });
      expectValidReport(report);
      expect(report.exitCode).toBe(2);
      expect(report.outcome).toBe("usage-error");
      expect(step(report, "client-identity").error?.code).toBe("NO_CLIENT_IDENTITY");
      expect(output).toContain("--client-id");
      expect(as.authorizeRequests).toHaveLength(0);
    });
  });

  it("omits scope when neither the challenge nor the metadata names one", async () => {
    await withSpecFixture({ dcr: true }, { prm: "path-aware" }, async ({ as, mcp, home }) => {
      const { report } = await runFlow({ serverUrl: mcp.url, home, auth: "headless" });
      expect(report.exitCode).toBe(0);
      expect(step(report, "authorization").evidence["scope source"]).toBe("omitted");
      expect(as.authorizeRequests[0]?.params.scope).toBeUndefined();
    });
  });

  it("prefers the challenge's scope over scopes_supported, and --scope over both", async () => {
    await withSpecFixture(
      { dcr: true },
      { prm: "path-aware", challengeScope: "mcp:tools", scopesSupported: ["mcp:tools", "mcp:admin"] },
      async ({ as, mcp, home }) => {
        await runFlow({ serverUrl: mcp.url, home, auth: "headless" });
        expect(as.authorizeRequests[0]?.params.scope).toBe("mcp:tools");
        await runFlow({
          serverUrl: mcp.url,
          home,
          auth: "headless",
          scope: "mcp:tools mcp:admin",
          fresh: true,
        });
        expect(as.authorizeRequests[1]?.params.scope).toBe("mcp:tools mcp:admin");
      },
    );
  });

  it("client credentials against a spec authorization server (app-only, through the SDK)", async () => {
    await withSpecFixture(
      {
        clients: { "svc-1": { method: "client_secret_post", secret: "svc-secret-value-789" } },
        authMethods: ["client_secret_post"],
      },
      { prm: "path-aware", challengeScope: "mcp:tools" },
      async ({ as, mcp, home }) => {
        const { report, output } = await runFlow({
          serverUrl: mcp.url,
          home,
          auth: "client-credentials",
          clientId: "svc-1",
          clientSecret: "svc-secret-value-789",
        });
        expect(report.exitCode).toBe(0);
        expect(step(report, "authorization").status).toBe("skipped");
        expect(as.tokenRequests[0]).toMatchObject({
          grantType: "client_credentials",
          clientAuth: "client_secret_post",
        });
        expect(as.tokenRequests[0]?.params.resource).toBe(mcp.url);
        expect(output).not.toContain("svc-secret-value-789");
      },
    );
  });
});

import { describe, expect, it } from "vitest";
import { withSpecServers } from "../../helpers/spec-servers.js";
import { runFlow, step } from "../../helpers/test-flow.js";
import { startAuthorizationServer } from "../../spec-fixtures/authorization-server.js";

/** Client registration (client-registration.mdx) and the scopes asked for (auth/index.mdx "Refresh Tokens"). */
describe("client registration (spec fixtures)", () => {
  it("DCR sends application_type native for test-flow's loopback redirect URI; an AS that enforces it agrees", async () => {
    await withSpecServers({ enforceApplicationType: true }, {}, async ({ as, mcp, home }) => {
      const { report, output } = await runFlow({ serverUrl: mcp.url, home, auth: "headless" });
      expect(report.exitCode, output).toBe(0);
      expect(as.records.registrations[0]).toMatchObject({
        status: 201,
        body: { application_type: "native" },
      });
      expect(step(report, "client-identity").evidence.application_type).toBe("native");
    });
  });

  it("without application_type the same registration is refused by that AS (OIDC's default is web)", async () => {
    await withSpecServers({ enforceApplicationType: true }, {}, async ({ as, mcp, home }) => {
      await runFlow({ serverUrl: mcp.url, home, auth: "headless" });
      const { application_type: _sent, ...withoutType } = as.records.registrations[0]!.body as Record<
        string,
        unknown
      >;
      const refused = await fetch(as.registrationEndpoint!, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(withoutType),
      });
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { error: string }).error).toBe("invalid_redirect_uri");
    });
  });

  it("a registration belongs to one authorization server: when PRM names another, test-flow registers there", async () => {
    await withSpecServers({}, {}, async ({ as, mcp, home }) => {
      const first = await runFlow({ serverUrl: mcp.url, home, auth: "headless" });
      expect(first.report.exitCode, first.output).toBe(0);
      // The same AS again: the stored registration and token are reused.
      const again = await runFlow({ serverUrl: mcp.url, home, auth: "headless" });
      expect(again.report.exitCode, again.output).toBe(0);
      expect(step(again.report, "client-identity").evidence.method).toBe("dynamic-registration");
      expect(step(again.report, "client-identity").notes.join(" ")).toContain("Reused the registration");
      expect(as.records.registrations).toHaveLength(1);
      const other = await startAuthorizationServer();
      try {
        mcp.setAuthorizationServers([other]);
        const moved = await runFlow({ serverUrl: mcp.url, home, auth: "headless" });
        expect(moved.report.exitCode, moved.output).toBe(0);
        expect(other.records.registrations).toHaveLength(1);
        expect(as.records.registrations).toHaveLength(1);
        const identity = step(moved.report, "client-identity");
        expect(identity.notes.join(" ")).toContain(`stored for ${as.issuer}`);
        expect(identity.evidence.client_id).toBe(other.records.registrations[0]?.client_id);
        // Nothing of the first AS went to the second.
        const firstClient = as.records.registrations[0]?.client_id;
        expect(other.records.authorizations.map((item) => item.params.client_id)).not.toContain(firstClient);
      } finally {
        await other.stop();
      }
    });
  });

  it("notes that a Client ID Metadata Document is preferred when the AS supports them and none is given", async () => {
    await withSpecServers({ clientIdMetadataDocuments: true }, {}, async ({ as, mcp, home }) => {
      const { report, output } = await runFlow({ serverUrl: mcp.url, home, auth: "headless" });
      expect(report.exitCode, output).toBe(0);
      const identity = step(report, "client-identity");
      expect(identity.evidence.method).toBe("dynamic-registration");
      expect(identity.notes.join(" ")).toContain("--client-metadata-url");
      expect(as.records.registrations).toHaveLength(1);
    });
    await withSpecServers({}, {}, async ({ mcp, home }) => {
      const { report } = await runFlow({ serverUrl: mcp.url, home, auth: "headless" });
      expect(step(report, "client-identity").notes.join(" ")).not.toContain("--client-metadata-url");
    });
  });
});

describe("offline_access (spec fixtures)", () => {
  it("is asked for when the AS lists it in scopes_supported, and a refresh token comes back", async () => {
    await withSpecServers({ offlineAccess: true }, {}, async ({ as, mcp, home }) => {
      const { report, output } = await runFlow({ serverUrl: mcp.url, home, auth: "headless" });
      expect(report.exitCode, output).toBe(0);
      expect(as.records.authorizations[0]?.params.scope).toBe("mcp:read offline_access");
      expect(step(report, "token").evidence["refresh token"]).toBe(true);
    });
  });

  it("is not asked for when the AS does not list it (this AS refuses unknown scopes)", async () => {
    await withSpecServers(
      { offlineAccess: false, unknownScopes: "reject" },
      {},
      async ({ as, mcp, home }) => {
        const { report, output } = await runFlow({ serverUrl: mcp.url, home, auth: "headless" });
        expect(report.exitCode, output).toBe(0);
        expect(as.records.authorizations[0]?.params.scope).toBe("mcp:read");
      },
    );
  });
});

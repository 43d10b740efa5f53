import { describe, expect, it } from "vitest";
import { withSpecServers } from "../../helpers/spec-servers.js";
import { runFlow, step } from "../../helpers/test-flow.js";

/**
 * RFC 9207 as MCP 2026-07-28 applies it (auth/index.mdx "Authorization Response Validation"), and the
 * authorization server metadata's `issuer` (auth/authorization-server-discovery.mdx, RFC 8414 §3.3).
 */
describe("the authorization response's iss (spec fixtures)", () => {
  it("present and exactly the issuer: accepted", async () => {
    await withSpecServers({ issParameter: "exact" }, {}, async ({ mcp, home }) => {
      const { report, output } = await runFlow({ serverUrl: mcp.url, home, auth: "headless" });
      expect(report.exitCode, output).toBe(0);
      expect(step(report, "authorization").evidence.iss).toBe("the issuer, exactly");
    });
  });

  it("absent while the metadata advertises it: refused, and the code is never exchanged", async () => {
    await withSpecServers(
      { issParameter: "omit", advertiseIssParameter: true },
      {},
      async ({ as, mcp, home }) => {
        const { report } = await runFlow({ serverUrl: mcp.url, home, auth: "headless" });
        expect(report.exitCode).toBe(1);
        expect(step(report, "authorization").error?.code).toBe("ISS_MISSING");
        expect(as.records.tokens).toHaveLength(0);
      },
    );
  });

  it("absent and not advertised: accepted (the table's last row)", async () => {
    await withSpecServers(
      { issParameter: "omit", advertiseIssParameter: false },
      {},
      async ({ mcp, home }) => {
        const { report, output } = await runFlow({ serverUrl: mcp.url, home, auth: "headless" });
        expect(report.exitCode, output).toBe(0);
        expect(step(report, "authorization").evidence.iss).toBe("absent (not advertised)");
      },
    );
  });

  for (const variant of ["other-issuer", "trailing-slash", "uppercase", "percent-encoded"] as const) {
    for (const advertised of [true, false]) {
      it(`a different iss (${variant}, ${advertised ? "advertised" : "not advertised"}): refused without normalising`, async () => {
        await withSpecServers(
          { issParameter: variant, advertiseIssParameter: advertised },
          {},
          async ({ as, mcp, home }) => {
            const { report, output } = await runFlow({ serverUrl: mcp.url, home, auth: "headless" });
            expect(report.exitCode).toBe(1);
            const authorization = step(report, "authorization");
            expect(authorization.error?.code).toBe("ISS_MISMATCH");
            expect(authorization.evidence.iss).toBe(JSON.stringify(as.issInResponses));
            expect(as.records.tokens).toHaveLength(0);
            expect(output).not.toContain("error_description");
          },
        );
      });
    }
  }
});

describe("the authorization server metadata's issuer (spec fixtures)", () => {
  for (const variant of ["other-issuer", "trailing-slash", "uppercase"] as const) {
    it(`refuses metadata whose issuer differs (${variant}): nothing is sent to that server`, async () => {
      await withSpecServers({ metadataIssuer: variant }, {}, async ({ as, mcp, home }) => {
        const { report } = await runFlow({ serverUrl: mcp.url, home, auth: "headless" });
        expect(report.exitCode).toBe(1);
        expect(step(report, "authorization-server-metadata").error?.code).toBe("AS_ISSUER_MISMATCH");
        expect(as.records.registrations).toHaveLength(0);
        expect(as.records.authorizations).toHaveLength(0);
      });
    });
  }

  it("explains Entra's {tenantid} template as Entra's shape for the multi-tenant authorities", async () => {
    await withSpecServers(
      { metadataIssuer: { literal: "https://login.microsoftonline.com/{tenantid}/v2.0" } },
      {},
      async ({ mcp, home }) => {
        const { report } = await runFlow({ serverUrl: mcp.url, home, auth: "headless" });
        const metadata = step(report, "authorization-server-metadata");
        expect(metadata.error?.code).toBe("AS_ISSUER_MISMATCH");
        expect(metadata.error?.message).toContain("multi-tenant authorities (common, organizations)");
        expect(metadata.error?.suggestion).toContain("https://login.microsoftonline.com/<tenant-id>/v2.0");
      },
    );
  });

  it("accepts metadata whose issuer is the one looked up, with a path, over OpenID discovery", async () => {
    await withSpecServers({ issuerPath: "/tenant1", discovery: "openid" }, {}, async ({ as, mcp, home }) => {
      const { report, output } = await runFlow({ serverUrl: mcp.url, home, auth: "headless" });
      expect(report.exitCode, output).toBe(0);
      const metadata = step(report, "authorization-server-metadata");
      expect(metadata.evidence.document).toBe("openid-configuration");
      expect(as.records.metadata.map((item) => `${item.path} ${item.status}`)).toEqual([
        "/.well-known/oauth-authorization-server/tenant1 404",
        "/.well-known/openid-configuration/tenant1 200",
      ]);
    });
  });
});

/** auth/security-considerations.mdx "Authorization Code Protection": no code_challenge_methods_supported → refuse. */
describe("PKCE support in the metadata (spec fixtures)", () => {
  it("refuses an authorization server whose metadata does not list code_challenge_methods_supported", async () => {
    await withSpecServers({ pkce: "not-advertised" }, {}, async ({ as, mcp, home }) => {
      const { report } = await runFlow({ serverUrl: mcp.url, home, auth: "headless" });
      expect(report.exitCode).toBe(1);
      const metadata = step(report, "authorization-server-metadata");
      expect(metadata.error?.code).toBe("PKCE_NOT_ADVERTISED");
      expect(metadata.error?.suggestion).toContain("code_challenge_methods_supported");
      expect(as.records.authorizations).toHaveLength(0);
    });
  });

  it("uses S256 with one that lists it", async () => {
    await withSpecServers({ pkce: "S256" }, {}, async ({ as, mcp, home }) => {
      const { report, output } = await runFlow({ serverUrl: mcp.url, home, auth: "headless" });
      expect(report.exitCode, output).toBe(0);
      expect(as.records.authorizations[0]?.params.code_challenge_method).toBe("S256");
    });
  });
});

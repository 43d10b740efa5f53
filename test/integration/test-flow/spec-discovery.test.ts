import { describe, expect, it } from "vitest";
import { expectValidReport } from "../../helpers/report-schema.js";
import { withSpecFixture } from "../../helpers/spec-fixture.js";
import { runFlow, step } from "../../helpers/test-flow.js";

/** Discovery variants against the spec-only fixture: every one must end in a passing flow. */
describe("test-flow discovery (spec authorization server)", () => {
  const cases = [
    {
      prm: "header",
      issuerPath: false,
      metadata: "oauth",
      foundBy: "header",
      asUrl: "/.well-known/oauth-authorization-server",
    },
    {
      prm: "path-aware",
      issuerPath: true,
      metadata: "oauth",
      foundBy: "path-aware",
      asUrl: "/.well-known/oauth-authorization-server/tenant-a",
    },
    {
      prm: "root",
      issuerPath: false,
      metadata: "openid",
      foundBy: "root",
      asUrl: "/.well-known/openid-configuration",
    },
    {
      prm: "path-aware",
      issuerPath: true,
      metadata: "openid",
      foundBy: "path-aware",
      asUrl: "/tenant-a/.well-known/openid-configuration",
    },
  ] as const;

  for (const variant of cases) {
    it(`PRM at the ${variant.prm} URL, issuer ${variant.issuerPath ? "with" : "without"} a path, ${variant.metadata} metadata`, async () => {
      await withSpecFixture(
        { dcr: true, issuerPath: variant.issuerPath, metadata: variant.metadata },
        { prm: variant.prm, challengeScope: "mcp:tools" },
        async ({ as, mcp, home }) => {
          const { report } = await runFlow({ serverUrl: mcp.url, home, auth: "headless" });
          expectValidReport(report);
          expect(report.exitCode, JSON.stringify(report.steps.filter((s) => s.status === "failed"))).toBe(0);
          expect(step(report, "protected-resource-metadata").evidence["found by"]).toBe(variant.foundBy);
          const asStep = step(report, "authorization-server-metadata");
          expect(asStep.evidence.url).toBe(`${as.origin}${variant.asUrl}`);
          expect(asStep.evidence.document).toBe(
            variant.metadata === "oauth" ? "oauth-authorization-server" : "openid-configuration",
          );
          // The spec's order: every URL before the one that answered was tried first, and failed.
          const tried = asStep.evidence.tried as string[];
          expect(tried.at(-1)).toContain(variant.asUrl);
          if (variant.issuerPath && variant.metadata === "openid") {
            expect(tried.map((line) => line.split(" → ")[0])).toEqual([
              `${as.origin}/.well-known/oauth-authorization-server/tenant-a`,
              `${as.origin}/.well-known/openid-configuration/tenant-a`,
              `${as.origin}/tenant-a/.well-known/openid-configuration`,
            ]);
          }
          expect(report.steps.map((s) => `${s.id}:${s.status}`)).toEqual([
            "challenge:passed",
            "protected-resource-metadata:passed",
            "authorization-server-metadata:passed",
            "client-identity:passed",
            "authorization:passed",
            "token:passed",
            "session:passed",
            "tools-list:passed",
            "tools-call:passed",
          ]);
        },
      );
    });
  }

  it("uses the challenge's resource_metadata alone: when it fails, the well-known URLs are not tried", async () => {
    await withSpecFixture(
      { dcr: true },
      { prm: "path-aware", brokenHeaderUrl: true },
      async ({ mcp, home }) => {
        const { report } = await runFlow({ serverUrl: mcp.url, home, auth: "headless" });
        const prm = step(report, "protected-resource-metadata");
        expect(prm.error?.code).toBe("PRM_NOT_FOUND");
        expect(prm.error?.message).toContain(`${mcp.origin}/metadata/missing.json → HTTP 404`);
        expect(prm.error?.message).not.toContain("/.well-known/");
        expect(prm.error?.suggestion).toContain("resource_metadata");
        expect(report.exitCode).toBe(1);
      },
    );
  });

  it("tries the path-aware well-known (404) before the root one", async () => {
    await withSpecFixture({ dcr: true }, { prm: "root" }, async ({ mcp, home }) => {
      const { report } = await runFlow({ serverUrl: mcp.url, home, auth: "headless" });
      const tried = step(report, "protected-resource-metadata").evidence.tried as string[];
      expect(tried.map((line) => line.split(" → ")[0])).toEqual([
        `${mcp.origin}/.well-known/oauth-protected-resource/mcp`,
        `${mcp.origin}/.well-known/oauth-protected-resource`,
      ]);
      expect(tried[0]).toContain("HTTP 404");
      expect(report.exitCode).toBe(0);
    });
  });

  it("refuses protected resource metadata whose resource is not the server", async () => {
    await withSpecFixture(
      { dcr: true },
      { prm: "path-aware", prmResource: "http://127.0.0.1:1/other" },
      async ({ as, mcp, home }) => {
        const { report, output } = await runFlow({ serverUrl: mcp.url, home, auth: "headless" });
        expectValidReport(report);
        expect(report.exitCode).toBe(1);
        const prm = step(report, "protected-resource-metadata");
        expect(prm.status).toBe("failed");
        expect(prm.error?.code).toBe("PRM_RESOURCE_MISMATCH");
        expect(as.authorizeRequests).toHaveLength(0);
        expect(as.tokenRequests).toHaveLength(0);
        expect(output).toContain("a client must refuse it");
        expect(step(report, "authorization").summary).toContain("Not run");
      },
    );
  });

  it("fails when there is no protected resource metadata anywhere", async () => {
    await withSpecFixture({ dcr: true }, { prm: "header" }, async ({ mcp, home }) => {
      const { report } = await runFlow({ serverUrl: `${mcp.origin}/other`, home, auth: "headless" });
      // /other is not protected: the fixture answers 404 there.
      expect(report.exitCode).toBe(1);
      expect(step(report, "challenge").error?.code).toBe("UNEXPECTED_STATUS");
    });
  });

  it("refuses a plain-http authorization server that is not on loopback", async () => {
    await withSpecFixture(
      { dcr: true },
      { prm: "path-aware", authorizationServers: ["http://auth.example.com/tenant"] },
      async ({ mcp, home }) => {
        const { report } = await runFlow({ serverUrl: mcp.url, home, auth: "headless" });
        expect(report.exitCode).toBe(1);
        const prm = step(report, "protected-resource-metadata");
        expect(prm.error?.code).toBe("INSECURE_AUTHORIZATION_SERVER");
        expect(prm.error?.message).toContain("only on loopback");
      },
    );
  });
});

import { describe, expect, it } from "vitest";
import { tempDir } from "../../helpers/dev-tenant.js";
import { expectValidReport } from "../../helpers/report-schema.js";
import { stepTrail, withSpecServers } from "../../helpers/spec-servers.js";
import { runFlow, step } from "../../helpers/test-flow.js";
import { startMcpServer, TOOL } from "../../spec-fixtures/mcp-server.js";

/** Authorization wherever the server asks: a 401 on any request, 403 step-up, and a server that never asks. */
describe("test-flow signs in when the server asks (spec fixtures)", () => {
  it("a lazy server (discover without a token, 401 on tools/list): signs in there and retries tools/list", async () => {
    await withSpecServers({}, { auth: "lazy" }, async ({ as, mcp, home }) => {
      const { report, output } = await runFlow({
        serverUrl: mcp.url,
        home,
        auth: "headless",
        requireAuth: true,
      });
      expectValidReport(report);
      expect(report.exitCode, output).toBe(0);
      expect(stepTrail(report)).toEqual([
        "challenge#1:passed",
        "session#1:passed",
        "tools-list#1:retried",
        "protected-resource-metadata#1:passed",
        "authorization-server-metadata#1:passed",
        "client-identity#1:passed",
        "authorization#1:passed",
        "token#1:passed",
        "tools-list#2:passed",
        "tools-call#1:passed",
        "authorization-required#1:passed",
      ]);
      expect(step(report, "challenge").summary).toContain("without asking for a token");
      expect(step(report, "tools-list").evidence.status).toBe(401);
      expect(step(report, "authorization").evidence["scope source"]).toBe("challenge");
      expect(step(report, "authorization-required").evidence["first asked at"]).toBe("tools-list");
      expect(as.records.authorizations).toHaveLength(1);
      const list = mcp.records.requests.filter((request) => request.rpcMethod === "tools/list");
      expect(list.map((request) => request.token)).toEqual(["none", "valid"]);
    });
  });

  it("a server that never asks: the flow goes on without a token; --require-auth makes it a failure", async () => {
    const mcp = await startMcpServer();
    const home = await tempDir();
    try {
      const open = await runFlow({ serverUrl: mcp.url, home });
      expect(open.report.exitCode, open.output).toBe(0);
      expect(step(open.report, "token").status).toBe("skipped");
      expect(open.report.signIn).toBeNull();
      const required = await runFlow({ serverUrl: mcp.url, home, requireAuth: true });
      expect(required.report.exitCode).toBe(1);
      expect(step(required.report, "authorization-required").error?.code).toBe("NOT_PROTECTED");
      expect(required.output).toContain("--require-auth");
    } finally {
      await mcp.stop();
    }
  });

  it("step-up on 403 insufficient_scope asks for the union of the scopes asked before and the challenged one", async () => {
    await withSpecServers({}, { stepUp: { challenge: "operation" } }, async ({ as, mcp, home }) => {
      const { report, output } = await runFlow({
        serverUrl: mcp.url,
        home,
        auth: "headless",
        tool: TOOL.stepUp,
      });
      expect(report.exitCode, output).toBe(0);
      expect(stepTrail(report).slice(-4)).toEqual([
        "tools-call#1:retried",
        "authorization#2:passed",
        "token#2:passed",
        "tools-call#2:passed",
      ]);
      expect(as.records.authorizations.map((item) => item.params.scope)).toEqual([
        "mcp:read",
        "mcp:read mcp:write",
      ]);
      expect(step(report, "authorization", 2).notes.join(" ")).toContain("union");
    });
  });

  it("a server that keeps refusing: at most 3 authorizations, then the report names the missing scope", async () => {
    await withSpecServers(
      { scopes: ["mcp:read"], unknownScopes: "ignore" },
      { stepUp: {} },
      async ({ as, mcp, home }) => {
        const { report, output } = await runFlow({
          serverUrl: mcp.url,
          home,
          auth: "headless",
          tool: TOOL.stepUp,
        });
        expect(report.exitCode).toBe(1);
        expect(as.records.authorizations).toHaveLength(3);
        const last = report.steps.findLast((item) => item.id === "tools-call");
        expect(last?.error?.code).toBe("STEP_UP_LIMIT");
        expect(last?.error?.message).toContain('the token lacks "mcp:write"');
        expect(output).toContain("after 3 authorization attempts");
      },
    );
  });

  it("a server that refuses even a token with the scope: stops at 3 and says the token carries it", async () => {
    await withSpecServers({}, { stepUp: { refuseAlways: true } }, async ({ as, mcp, home }) => {
      const { report } = await runFlow({ serverUrl: mcp.url, home, auth: "headless", tool: TOOL.stepUp });
      expect(report.exitCode).toBe(1);
      expect(as.records.authorizations).toHaveLength(3);
      const last = report.steps.findLast((item) => item.id === "tools-call");
      expect(last?.error?.message).toContain('still asks for "mcp:write", which the token carries');
    });
  });
});

/** PRM `resource`: the server URL or a same-origin parent, sent as PRM gives it; anything else refused. */
describe("PRM resource (spec fixtures)", () => {
  for (const form of ["origin", "parent-path"] as const) {
    it(`accepts a PRM resource that is the server's ${form} and sends it as the resource parameter`, async () => {
      await withSpecServers(
        {},
        { path: "/api/mcp", prm: { wellKnown: "both", resource: form } },
        async ({ as, mcp, home }) => {
          const { report, output } = await runFlow({ serverUrl: mcp.url, home, auth: "headless" });
          expect(report.exitCode, output).toBe(0);
          expect(mcp.resource).not.toBe(mcp.url);
          expect(step(report, "protected-resource-metadata").notes.join(" ")).toContain("same-origin parent");
          expect(as.records.authorizations[0]?.params.resource).toBe(mcp.resource);
          expect(as.records.tokens[0]?.params.resource).toBe(mcp.resource);
        },
      );
    });
  }

  for (const form of ["other-origin", "other-path", "child-path"] as const) {
    it(`refuses a PRM resource on the ${form}`, async () => {
      await withSpecServers({}, { path: "/api/mcp", prm: { resource: form } }, async ({ as, mcp, home }) => {
        const { report } = await runFlow({ serverUrl: mcp.url, home, auth: "headless" });
        expect(report.exitCode).toBe(1);
        expect(step(report, "protected-resource-metadata").error?.code).toBe("PRM_RESOURCE_MISMATCH");
        expect(step(report, "protected-resource-metadata").error?.explanations[0]?.code).toBe(
          "PRM_RESOURCE_MISMATCH",
        );
        expect(as.records.authorizations).toHaveLength(0);
      });
    });
  }
});

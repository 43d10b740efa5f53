import { describe, expect, it } from "vitest";
import { expectValidReport } from "../../helpers/report-schema.js";
import { stepTrail, withSpecServers } from "../../helpers/spec-servers.js";
import { runFlow, step } from "../../helpers/test-flow.js";

/** Both revisions: 2026-07-28 first, the 2025-11-25 initialize as fallback, --protocol to pin one. */
describe("test-flow speaks MCP 2026-07-28 and 2025-11-25 (spec fixtures)", () => {
  it("a server that serves only 2026-07-28: end to end, every request with the envelope's headers", async () => {
    await withSpecServers({}, { eras: "2026-07-28" }, async ({ mcp, home }) => {
      const { report, output } = await runFlow({ serverUrl: mcp.url, home, auth: "headless" });
      expectValidReport(report);
      expect(report.exitCode, output).toBe(0);
      expect(report.protocol).toEqual({ requested: "auto", version: "2026-07-28", era: "modern" });
      expect(stepTrail(report)).toEqual([
        "challenge#1:passed",
        "protected-resource-metadata#1:passed",
        "authorization-server-metadata#1:passed",
        "client-identity#1:passed",
        "authorization#1:passed",
        "token#1:passed",
        "session#1:passed",
        "tools-list#1:passed",
        "tools-call#1:passed",
      ]);
      expect(step(report, "session").evidence.protocol).toBe("2026-07-28 (server/discover)");
      const rpc = mcp.records.requests.filter((request) => request.rpcMethod);
      expect(rpc.map((request) => request.rpcMethod)).not.toContain("initialize");
      for (const request of rpc) {
        expect(request.era).toBe("modern");
        expect(request.headers.mcpMethod).toBe(request.rpcMethod);
        expect(request.headers.protocolVersion).toBe("2026-07-28");
      }
      const call = rpc.find((request) => request.rpcMethod === "tools/call");
      expect(call?.headers.mcpName).toBe(call?.rpcName);
      expect(output).toContain("MCP 2026-07-28");
    });
  });

  it("--protocol 2025-11-25 against it: the initialize the server refuses fails the session", async () => {
    await withSpecServers({}, { eras: "2026-07-28" }, async ({ mcp, home }) => {
      const { report } = await runFlow({
        serverUrl: mcp.url,
        home,
        auth: "headless",
        protocol: "2025-11-25",
      });
      expect(report.exitCode).toBe(1);
      expect(step(report, "session").status).toBe("failed");
      expect(step(report, "session").error?.message).toContain("HTTP 400");
      expect(report.protocol.version).toBeNull();
    });
  });

  it("a server that serves only 2025-11-25: the probe falls back to initialize, with a session id", async () => {
    await withSpecServers({}, { eras: "2025-11-25" }, async ({ mcp, home }) => {
      const { report, output } = await runFlow({ serverUrl: mcp.url, home, auth: "headless" });
      expectValidReport(report);
      expect(report.exitCode, output).toBe(0);
      expect(report.protocol).toMatchObject({ version: "2025-11-25", era: "legacy" });
      expect(step(report, "session").evidence).toMatchObject({
        protocol: "2025-11-25 (initialize)",
        "session id": "yes",
      });
      const methods = mcp.records.requests.map((request) => request.rpcMethod);
      expect(methods).toContain("initialize");
    });
  });

  it("--protocol 2026-07-28 against it: no fallback, the session fails and says how to fix it", async () => {
    await withSpecServers({}, { eras: "2025-11-25" }, async ({ mcp, home }) => {
      const { report } = await runFlow({
        serverUrl: mcp.url,
        home,
        auth: "headless",
        protocol: "2026-07-28",
      });
      expect(report.exitCode).toBe(1);
      expect(step(report, "session").error?.code).toBe("PROTOCOL_NEGOTIATION_FAILED");
      expect(step(report, "session").error?.suggestion).toContain("--protocol auto");
    });
  });

  it("a server that serves both: auto settles on 2026-07-28; --protocol 2025-11-25 gets the initialize session", async () => {
    await withSpecServers({}, { eras: "both" }, async ({ mcp, home }) => {
      const modern = await runFlow({ serverUrl: mcp.url, home, auth: "headless" });
      expect(modern.report.exitCode, modern.output).toBe(0);
      expect(modern.report.protocol.era).toBe("modern");
      const legacy = await runFlow({ serverUrl: mcp.url, home, auth: "headless", protocol: "2025-11-25" });
      expect(legacy.report.exitCode, legacy.output).toBe(0);
      expect(legacy.report.protocol).toEqual({
        requested: "2025-11-25",
        version: "2025-11-25",
        era: "legacy",
      });
    });
  });
});

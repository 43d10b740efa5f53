import { describe, expect, it } from "vitest";
import { withSpecServers } from "../../helpers/spec-servers.js";
import { runFlow, step } from "../../helpers/test-flow.js";
import type { TokenCheck } from "../../spec-fixtures/mcp-server/options.js";

const FORGED = ["probe-unpublished-key", "probe-alg-none"] as const;

/**
 * The probes test-flow forges itself from the flow's token, whatever issued it: a key the issuer never
 * published (same kid), and alg none. A server that checks signatures refuses both; one that skips the
 * check fails the run. (The wrong-issuer probe needs a token signed by the issuer itself: the dev tenant
 * mints it — see probes.test.ts; here it is skipped and says why.)
 */
describe("test-flow --probe against spec MCP servers", () => {
  it("a server that validates tokens refuses both forged tokens (401 invalid_token)", async () => {
    await withSpecServers({}, { tokenValidation: "strict" }, async ({ mcp, home }) => {
      const { report, output } = await runFlow({ serverUrl: mcp.url, home, auth: "headless", probe: true });
      for (const id of FORGED) {
        expect(step(report, id).status, output).toBe("passed");
        expect(step(report, id).evidence.status).toBe(401);
      }
      expect(step(report, "probe-unpublished-key").evidence.obtained).toContain(`kid "`);
      expect(step(report, "probe-wrong-issuer")).toMatchObject({ status: "skipped" });
      expect(step(report, "probe-wrong-issuer").summary).toContain("Only the dev tenant can mint");
      const forged = mcp.records.requests.filter((request) => request.tokenError);
      expect(forged.length).toBeGreaterThanOrEqual(2);
    });
  });

  const careless: [TokenCheck[], string[]][] = [
    [["signature"], ["probe-unpublished-key", "probe-alg-none"]],
    [["alg-none"], ["probe-alg-none"]],
  ];
  for (const [skip, failing] of careless) {
    it(`a server that skips ${skip.join(", ")}: exactly ${failing.join(" and ")} fail the run`, async () => {
      await withSpecServers({}, { tokenValidation: { skip } }, async ({ mcp, home }) => {
        const { report } = await runFlow({ serverUrl: mcp.url, home, auth: "headless", probe: true });
        expect(report.exitCode).toBe(1);
        expect(FORGED.filter((id) => step(report, id).status === "failed")).toEqual(failing);
        for (const id of failing) expect(step(report, id).error?.code).toBe("PROBE_TOKEN_ACCEPTED");
      });
    });
  }
});

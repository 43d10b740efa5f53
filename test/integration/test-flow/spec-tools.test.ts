import { describe, expect, it } from "vitest";
import { withSpecServers } from "../../helpers/spec-servers.js";
import { runFlow, step } from "../../helpers/test-flow.js";
import { TOOL } from "../../spec-fixtures/mcp-server.js";

/** What 2026-07-28 asks of a client calling tools: header mirroring, malformed tools, schemas as given, MRTR. */
describe("tools over 2026-07-28 (spec fixtures)", () => {
  it("mirrors x-mcp-header parameters into Mcp-Param-* headers with the encoding rules; the server checks them", async () => {
    await withSpecServers({}, {}, async ({ mcp, home }) => {
      const args = {
        region: "us-west1",
        priority: 7,
        dry_run: true,
        target: { tenant: "Zürich " },
        query: "q",
      };
      const { report, output } = await runFlow({
        serverUrl: mcp.url,
        home,
        auth: "headless",
        tool: TOOL.headers,
        args: JSON.stringify(args),
      });
      expect(report.exitCode, output).toBe(0);
      const check = mcp.records.headerChecks.at(-1);
      expect(check?.problems).toEqual([]);
      expect(check?.received).toEqual({
        "mcp-param-region": "us-west1",
        "mcp-param-priority": "7",
        "mcp-param-dry-run": "true",
        "mcp-param-tenant": "Zürich ",
      });
      const sent = step(report, "tools-call").evidence.headers as string[];
      expect(sent).toContain("mcp-method: tools/call");
      expect(sent).toContain(`mcp-name: ${TOOL.headers}`);
      expect(sent).toContain("mcp-param-region: us-west1");
      expect(sent).toContain(`mcp-param-tenant: =?base64?${Buffer.from("Zürich ").toString("base64")}?=`);
    });
  });

  it("an omitted parameter sends no header; over --protocol 2025-11-25 nothing is mirrored at all", async () => {
    await withSpecServers({}, { eras: "both" }, async ({ mcp, home }) => {
      const args = JSON.stringify({ region: "eu", query: "q" });
      const modern = await runFlow({ serverUrl: mcp.url, home, auth: "headless", tool: TOOL.headers, args });
      expect(modern.report.exitCode, modern.output).toBe(0);
      expect(Object.keys(mcp.records.headerChecks.at(-1)?.received ?? {})).toEqual(["mcp-param-region"]);
      const legacy = await runFlow({
        serverUrl: mcp.url,
        home,
        auth: "headless",
        tool: TOOL.headers,
        args,
        protocol: "2025-11-25",
      });
      expect(legacy.report.exitCode, legacy.output).toBe(0);
      const call = mcp.records.requests.findLast((request) => request.rpcMethod === "tools/call");
      expect(call?.era).toBe("legacy");
      expect(call?.headers.params).toEqual({});
    });
  });

  it("leaves malformed tools out of tools/list and says why; the valid ones stay callable", async () => {
    await withSpecServers(
      {},
      { malformedHeaderTools: ["number-type", "duplicate", "in-array", "invalid-token", "empty"] },
      async ({ mcp, home }) => {
        const { report, output } = await runFlow({
          serverUrl: mcp.url,
          home,
          auth: "headless",
          tool: TOOL.echo,
          args: '{"text":"still here"}',
        });
        expect(report.exitCode, output).toBe(0);
        const list = step(report, "tools-list");
        const leftOut = (list.evidence["left out"] as string[]).map((line) => line.split(":")[0]);
        const malformed = mcp.tools.map((tool) => tool.name).filter((name) => name.startsWith("malformed_"));
        expect(leftOut.sort()).toEqual(malformed.sort());
        expect(list.evidence.tools).not.toContain(malformed[0]);
        expect(list.notes.join(" ")).toContain("the other tools stay callable");
        expect(step(report, "tools-call").evidence.text).toBe("still here");
        // One of them asked for by name: it is not there to call.
        const named = await runFlow({ serverUrl: mcp.url, home, auth: "headless", tool: malformed[0] });
        expect(step(named.report, "tools-call").error?.code).toBe("NO_SUCH_TOOL");
        expect(mcp.records.toolCalls.map((call) => call.name)).not.toContain(malformed[0]);
      },
    );
  });

  it("keeps input schemas as given ($ref, $defs): the server's 2020-12 validation accepts the call", async () => {
    await withSpecServers({}, {}, async ({ mcp, home }) => {
      const valid = await runFlow({
        serverUrl: mcp.url,
        home,
        auth: "headless",
        tool: TOOL.ref,
        args: JSON.stringify({ address: { city: "Lisbon" }, alternate: { street: "Rua", city: "Porto" } }),
      });
      expect(valid.report.exitCode, valid.output).toBe(0);
      expect(mcp.records.toolCalls.at(-1)?.arguments).toEqual({
        address: { city: "Lisbon" },
        alternate: { street: "Rua", city: "Porto" },
      });
      const invalid = await runFlow({
        serverUrl: mcp.url,
        home,
        auth: "headless",
        tool: TOOL.ref,
        args: JSON.stringify({ address: { street: "no city" } }),
      });
      expect(invalid.report.exitCode).toBe(1);
      expect(step(invalid.report, "tools-call").error?.code).toBe("TOOL_ERROR");
    });
  });
});

describe("multi-round-trip calls (spec fixtures, basic/patterns/mrtr.mdx)", () => {
  it("answers each input_required round from --args and the schema's defaults, echoing requestState unchanged", async () => {
    await withSpecServers({}, { inputRounds: 2 }, async ({ mcp, home }) => {
      const { report, output } = await runFlow({
        serverUrl: mcp.url,
        home,
        auth: "headless",
        tool: TOOL.inputRounds,
        args: JSON.stringify({ environment: "staging", reason: "hotfix" }),
      });
      expect(report.exitCode, output).toBe(0);
      const call = step(report, "tools-call");
      expect(call.evidence.text).toBe("deployed to staging: hotfix");
      const rounds = call.evidence.rounds as string[];
      expect(rounds).toHaveLength(3);
      expect(rounds[0]).toMatch(/^round 1: → input_required: \S+ \(elicitation\/create\)$/);
      expect(rounds[1]).toMatch(
        /^round 2: inputResponses \S+; requestState echoed unchanged \(\d+ characters\);/,
      );
      expect(rounds[2]).toMatch(/requestState echoed unchanged .* → complete$/);
      expect(call.evidence.answers).toEqual([
        "elicitation/create: accept (the schema's defaults)",
        "elicitation/create: accept (reason from --args)",
      ]);
      expect(mcp.records.inputRounds.filter((round) => round.requestState !== undefined)).toEqual([
        expect.objectContaining({ round: 2, echoedExactly: true }),
        expect.objectContaining({ round: 3, echoedExactly: true }),
      ]);
    });
  });

  it("an answer the server does not take ends the call as the server says (here: not confirmed)", async () => {
    await withSpecServers({}, { inputRounds: 1 }, async ({ mcp, home }) => {
      const { report, output } = await runFlow({
        serverUrl: mcp.url,
        home,
        auth: "headless",
        tool: TOOL.inputRounds,
        args: JSON.stringify({ environment: "prod", confirm: false }),
      });
      expect(report.exitCode, output).toBe(0);
      expect(step(report, "tools-call").evidence.text).toBe("deployment not confirmed");
      expect(step(report, "tools-call").evidence.answers).toEqual([
        "elicitation/create: accept (confirm from --args)",
      ]);
    });
  });
});

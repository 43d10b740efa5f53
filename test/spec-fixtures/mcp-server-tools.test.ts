import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { afterEach, describe, expect, it } from "vitest";
import { type McpServerFixture, type McpServerOptions, startMcpServer, TOOL } from "./mcp-server.js";

const running: McpServerFixture[] = [];
const clients: Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await Promise.all(running.splice(0).map((fixture) => fixture.stop()));
});

async function start(options: McpServerOptions = {}): Promise<McpServerFixture> {
  const server = await startMcpServer(options);
  running.push(server);
  return server;
}

/** The official v2 client, negotiating the era, answering elicitations with `answers`. */
async function connect(
  url: string,
  answers: Record<string, string | boolean> = {},
  mode: "auto" | "legacy" = "auto",
) {
  const client = new Client(
    { name: "spec-self-check", version: "1.0.0" },
    { versionNegotiation: { mode }, capabilities: { elicitation: { form: {} } } },
  );
  client.setRequestHandler("elicitation/create", async (request) => {
    const key = Object.keys(
      (request.params as { requestedSchema: { properties: object } }).requestedSchema.properties,
    )[0]!;
    return { action: "accept" as const, content: { [key]: answers[key] ?? "" } };
  });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  clients.push(client);
  return client;
}

const META = {
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientCapabilities": { elicitation: { form: {} } },
};

/** A modern request by hand: the envelope in `_meta` and the standard headers, plus `headers`. */
async function post(
  url: string,
  method: string,
  params: Record<string, unknown>,
  headers: Record<string, string> = {},
  omit: string[] = [],
) {
  const all: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
    "mcp-protocol-version": "2026-07-28",
    "mcp-method": method,
  };
  if (typeof params.name === "string") all["mcp-name"] = params.name;
  Object.assign(all, headers);
  for (const header of omit) delete all[header];
  const response = await fetch(url, {
    method: "POST",
    headers: all,
    body: JSON.stringify({ jsonrpc: "2.0", id: 7, method, params: { ...params, _meta: META } }),
  });
  const text = await response.text();
  const json = text.startsWith("event:") ? JSON.parse(text.split("data: ")[1]!) : JSON.parse(text);
  return {
    status: response.status,
    body: json as { result?: Record<string, unknown>; error?: { code: number; message: string } },
  };
}

describe("eras (versioning.mdx, streamable-http.mdx Backward Compatibility)", () => {
  it("a 2026-07-28-only server answers initialize with 400 and the versions it supports", async () => {
    const server = await start();
    const response = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: {
          protocolVersion: "2025-11-25",
          capabilities: {},
          clientInfo: { name: "old", version: "1" },
        },
      }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: number; data: unknown } }).error).toMatchObject({
      code: -32022,
      data: { supported: ["2026-07-28"] },
    });
    expect((await connect(server.url)).getProtocolEra()).toBe("modern");
  });

  it("a 2025-11-25-only server refuses the modern probe without a modern error, so a dual-era client falls back", async () => {
    const server = await start({ eras: "2025-11-25" });
    const probe = await post(server.url, "server/discover", {});
    expect(probe.status).toBe(400);
    expect(probe.body.error?.code).not.toBe(-32022);
    const client = await connect(server.url, { confirm: true, reason: "legacy" });
    expect(client.getProtocolEra()).toBe("legacy");
    const result = await client.callTool({ name: TOOL.inputRounds, arguments: { environment: "prod" } });
    expect(result.content).toEqual([{ type: "text", text: "deployed to prod: legacy" }]);
    expect(server.records.inputRounds.map((round) => [round.era, round.round])).toEqual([
      ["legacy", 1],
      ["legacy", 2],
    ]);
    expect(server.records.requests.some((request) => request.headers.sessionId !== undefined)).toBe(true);
  });

  it("a dual-era server serves both", async () => {
    const server = await start({ eras: "both" });
    expect((await connect(server.url, {}, "legacy")).getProtocolEra()).toBe("legacy");
    expect((await connect(server.url)).getProtocolEra()).toBe("modern");
    expect(server.records.requests.map((request) => request.era)).toEqual(
      expect.arrayContaining(["legacy", "modern"]),
    );
  });
});

describe("tools (server/tools.mdx, x-mcp-header, $ref)", () => {
  it("lists one malformed tool beside the valid ones; the SDK client drops only it", async () => {
    const server = await start({ malformedHeaderTools: ["number-type", "in-array"] });
    const raw = await post(server.url, "tools/list", {});
    expect(((raw.body.result?.tools ?? []) as Array<{ name: string }>).map((tool) => tool.name)).toEqual(
      server.tools.map((tool) => tool.name),
    );
    const client = await connect(server.url);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(
      server.tools.map((tool) => tool.name).filter((name) => !name.startsWith("malformed_")),
    );
    expect(tools.find((tool) => tool.name === TOOL.ref)?.inputSchema).toEqual(
      server.tools.find((tool) => tool.name === TOOL.ref)?.inputSchema,
    );
  });

  it("receives Mcp-Param-* headers mirrored and encoded by the SDK client, and records them", async () => {
    const server = await start();
    const client = await connect(server.url);
    await client.listTools();
    const args = {
      region: "us-west1",
      priority: 42,
      dry_run: true,
      target: { tenant: "Hello, 世界" },
      query: "q",
    };
    const result = await client.callTool({ name: TOOL.headers, arguments: args });
    expect(result.isError).toBeFalsy();
    const call = server.records.requests.find((request) => request.rpcName === TOOL.headers)!;
    expect(call.headers).toMatchObject({
      mcpMethod: "tools/call",
      mcpName: TOOL.headers,
      params: {
        "mcp-param-region": "us-west1",
        "mcp-param-priority": "42",
        "mcp-param-dry-run": "true",
        "mcp-param-tenant": "=?base64?SGVsbG8sIOS4lueVjA==?=",
      },
    });
    expect(server.records.headerChecks.at(-1)).toMatchObject({
      problems: [],
      received: { "mcp-param-tenant": "Hello, 世界" },
    });
  });

  it.each([
    [
      "a header that disagrees with the body",
      { "mcp-param-region": "eu-west1", "mcp-param-priority": "1" },
      [],
    ],
    ["a missing header for a value in the body", { "mcp-param-region": "us-west1" }, []],
    [
      "a header without a body value",
      { "mcp-param-region": "us-west1", "mcp-param-priority": "1", "mcp-param-tenant": "x" },
      [],
    ],
    [
      "Mcp-Name naming another tool",
      { "mcp-param-region": "us-west1", "mcp-param-priority": "1", "mcp-name": TOOL.echo },
      [],
    ],
    ["no Mcp-Method", { "mcp-param-region": "us-west1", "mcp-param-priority": "1" }, ["mcp-method"]],
    [
      "no MCP-Protocol-Version",
      { "mcp-param-region": "us-west1", "mcp-param-priority": "1" },
      ["mcp-protocol-version"],
    ],
    [
      "a malformed Base64 sentinel",
      { "mcp-param-region": "us-west1", "mcp-param-priority": "=?base64?@@?=" },
      [],
    ],
  ])("refuses %s with 400 HeaderMismatch", async (_case, headers, omit) => {
    const server = await start();
    const args = { region: "us-west1", priority: 1, query: "q" };
    const answer = await post(
      server.url,
      "tools/call",
      { name: TOOL.headers, arguments: args },
      headers,
      omit,
    );
    expect(answer.status).toBe(400);
    expect(answer.body.error?.code).toBe(-32020);
    expect(server.records.requests.at(-1)?.refusal).toBe("header_mismatch");
  });

  it("compares integers numerically and accepts a correct call by hand", async () => {
    const server = await start();
    const answer = await post(
      server.url,
      "tools/call",
      { name: TOOL.headers, arguments: { region: "us-west1", priority: 42, query: "q" } },
      { "mcp-param-region": "us-west1", "mcp-param-priority": "42.0" },
    );
    expect(answer.status).toBe(200);
    expect(answer.body.result?.isError).toBeUndefined();
  });

  it("validates $ref arguments against the schema as given", async () => {
    const server = await start();
    const client = await connect(server.url);
    const good = await client.callTool({
      name: TOOL.ref,
      arguments: { address: { street: "1 Main St", city: "Springfield" } },
    });
    expect(good.content).toEqual([{ type: "text", text: "found 1 Main St, Springfield" }]);
    const bad = await client.callTool({ name: TOOL.ref, arguments: { address: { street: "no city" } } });
    expect(bad.isError).toBe(true);
  });
});

describe("multi round-trip requests (basic/patterns/mrtr.mdx)", () => {
  it("asks twice with requestState and completes when the client echoes it byte for byte", async () => {
    const server = await start();
    const client = await connect(server.url, { confirm: true, reason: "because" });
    const result = await client.callTool({ name: TOOL.inputRounds, arguments: { environment: "prod" } });
    expect(result.content).toEqual([{ type: "text", text: "deployed to prod: because" }]);
    expect(
      server.records.inputRounds.map(({ round, answer, echoedExactly }) => ({
        round,
        answer,
        echoedExactly,
      })),
    ).toEqual([
      { round: 1, answer: "input_required", echoedExactly: undefined },
      { round: 2, answer: "input_required", echoedExactly: true },
      { round: 3, answer: "complete", echoedExactly: true },
    ]);
    expect(server.records.inputRounds[1]?.requestState).toMatch(/✓$/);
  });

  it("rejects a requestState that is not the one it minted", async () => {
    const server = await start({ inputRounds: 1 });
    const first = await post(server.url, "tools/call", {
      name: TOOL.inputRounds,
      arguments: { environment: "prod" },
    });
    expect(first.body.result).toMatchObject({
      resultType: "input_required",
      inputRequests: { confirm: { method: "elicitation/create" } },
    });
    const state = first.body.result?.requestState as string;
    const answer = { confirm: { action: "accept", content: { confirm: true } } };
    const altered = await post(server.url, "tools/call", {
      name: TOOL.inputRounds,
      arguments: { environment: "prod" },
      inputResponses: answer,
      requestState: state.normalize("NFD").replace("✓", "v"),
    });
    expect(altered.body.error?.code).toBe(-32602);
    const exact = await post(server.url, "tools/call", {
      name: TOOL.inputRounds,
      arguments: { environment: "prod" },
      inputResponses: answer,
      requestState: state,
    });
    expect(exact.body.result?.content).toEqual([{ type: "text", text: "deployed to prod" }]);
    expect(server.records.inputRounds.map((round) => round.echoedExactly)).toEqual([undefined, false, true]);
  });
});

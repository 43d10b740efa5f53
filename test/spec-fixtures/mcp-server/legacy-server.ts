import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import {
  CallToolRequestSchema,
  isInitializeRequest,
  ListToolsRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { sendJson } from "../http-server.js";
import { QUESTIONS } from "./input-rounds.js";
import type { CallerAuth, ServerState } from "./state.js";
import { simpleToolResult, type ToolResult } from "./tool-calls.js";
import { TOOL } from "./tool-catalogue.js";

/**
 * A server of 2025-11-25 only, on the 1.x SDK: sessions by `Mcp-Session-Id` opened by `initialize`
 * (2025-11-25 basic/transports.mdx, "Session Management"). A 2026-07-28 request has no session and
 * gets the 1.x SDK's own 400, which is not a modern error: a dual-era client falls back.
 */
export class LegacySessions {
  private readonly transports = new Map<string, StreamableHTTPServerTransport>();

  constructor(private readonly state: ServerState) {}

  async handle(
    req: IncomingMessage & { auth?: CallerAuth },
    res: ServerResponse,
    body: unknown,
  ): Promise<void> {
    const sessionId = req.headers["mcp-session-id"];
    const existing = typeof sessionId === "string" ? this.transports.get(sessionId) : undefined;
    if (existing) return existing.handleRequest(req, res, body);
    if (sessionId === undefined && req.method === "POST" && isInitializeRequest(body)) {
      const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
        sessionIdGenerator: randomUUID,
        onsessioninitialized: (id) => {
          this.transports.set(id, transport);
        },
      });
      transport.onclose = () => {
        if (transport.sessionId) this.transports.delete(transport.sessionId);
      };
      await this.server().connect(transport);
      return transport.handleRequest(req, res, body);
    }
    const status = typeof sessionId === "string" ? 404 : 400;
    sendJson(res, status, {
      jsonrpc: "2.0",
      error: {
        code: -32000,
        message: status === 404 ? "Session not found" : "Bad Request: No valid session ID provided",
      },
      id: null,
    });
  }

  async close(): Promise<void> {
    await Promise.all([...this.transports.values()].map((transport) => transport.close()));
  }

  private server(): Server {
    const server = new Server(
      { name: "spec-fixture-2025", version: "1.0.0" },
      { capabilities: { tools: {} } },
    );
    server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: this.state.catalogue as never }));
    server.setRequestHandler(CallToolRequestSchema, async (request) => {
      const { name, arguments: args } = request.params;
      this.state.records.toolCalls.push({ name, arguments: args, era: "legacy" });
      if (name === TOOL.inputRounds) return this.elicitRounds(server, String(args?.environment));
      const result = simpleToolResult(
        this.state.catalogue.find((tool) => tool.name === name),
        args,
      );
      return result ?? { content: [{ type: "text", text: `Unknown tool: ${name}` }], isError: true };
    });
    return server;
  }

  /** The 2025-11-25 way to ask for input: `elicitation/create` requests sent by the server (client/elicitation.mdx). */
  private async elicitRounds(server: Server, environment: string): Promise<ToolResult> {
    if (!server.getClientCapabilities()?.elicitation) {
      return {
        content: [{ type: "text", text: "confirm_deploy needs the elicitation capability" }],
        isError: true,
      };
    }
    const rounds = this.state.options.inputRounds ?? 2;
    const answers: string[] = [];
    for (const [index, key] of (["confirm", "reason"] as const).slice(0, rounds).entries()) {
      const answer = await server.elicitInput({ mode: "form", ...QUESTIONS[key] });
      const last =
        index === rounds - 1 ||
        answer.action !== "accept" ||
        (key === "confirm" && answer.content?.confirm !== true);
      this.state.records.inputRounds.push({
        era: "legacy",
        round: index + 1,
        inputResponses: { [key]: answer },
        answer: last ? "complete" : "input_required",
      });
      if (answer.action !== "accept")
        return { content: [{ type: "text", text: `deployment ${answer.action}` }] };
      if (key === "confirm" && answer.content?.confirm !== true)
        return { content: [{ type: "text", text: "deployment not confirmed" }] };
      if (key === "reason") answers.push(`: ${String(answer.content?.reason)}`);
    }
    return { content: [{ type: "text", text: `deployed to ${environment}${answers.join("")}` }] };
  }
}

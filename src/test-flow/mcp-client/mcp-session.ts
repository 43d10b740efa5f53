import type {
  CallToolResult,
  Client,
  DiscoverResult,
  PriorDiscovery,
  Tool,
  Transport,
  VersionNegotiationOptions,
} from "@modelcontextprotocol/client";
import type { InputAnswers } from "./input-answers.js";
import type { ProtocolChoice } from "./protocol-choices.js";
import { loadSdk } from "./sdk.js";
import { type SdkWarnings, skippedTool } from "./sdk-warnings.js";

/** What every MCP session needs, whatever its transport. */
export interface SessionOptions {
  signal: AbortSignal;
  timeoutMs: number;
  clientVersion: string;
  protocol: ProtocolChoice;
  answers: InputAnswers;
  warnings: SdkWarnings;
}

export interface ConnectedServer {
  server?: string;
  /** The revision the session speaks (negotiated). */
  protocolVersion?: string;
  /** modern: 2026-07-28 (server/discover, per-request envelope); legacy: the 2025 initialize handshake. */
  era?: "modern" | "legacy";
  sessionId?: string;
  capabilities: string[];
  /** The server/discover answer (modern era), so that probes can skip the probe. */
  discover?: DiscoverResult;
}

export interface ToolListing {
  tools: Tool[];
  /** Tools the SDK left out of tools/list, and why (SEP-2243: invalid x-mcp-header declarations). */
  skipped: { name: string; reason: string }[];
}

/**
 * MCP through the SDK's Client over a transport of the subclass's choosing: connect (server/discover
 * or initialize, as --protocol says), tools/list (all pages), tools/call (with the SDK's header
 * mirroring and multi-round-trip handling). Each request is bounded by the flow's deadline and --timeout.
 */
export abstract class McpClientSession {
  private client?: Client;

  constructor(protected readonly base: SessionOptions) {}

  protected abstract openTransport(): Promise<Transport>;

  /** How the calls of this session answered what the server asked in between. */
  get answers(): InputAnswers {
    return this.base.answers;
  }

  /** Whether the transport is stdio (the SDK's era probe then has a shorter timeout). */
  protected get stdio(): boolean {
    return false;
  }

  /** Every request goes through here (a subclass may end it early, e.g. when the server process exits). */
  protected guard<T>(request: Promise<T>, _what: string): Promise<T> {
    return request;
  }

  async connect(prior?: PriorDiscovery): Promise<ConnectedServer> {
    const { Client } = await loadSdk();
    await this.closeClient();
    const client = new Client(
      { name: "mcp-entra test-flow", version: this.base.clientVersion },
      {
        capabilities: { elicitation: { form: { applyDefaults: true } }, roots: {} },
        versionNegotiation: this.negotiation(),
        inputRequired: { maxRounds: 5 },
      },
    );
    client.setRequestHandler("elicitation/create", (request) => this.base.answers.elicit(request.params));
    client.setRequestHandler("roots/list", () => this.base.answers.roots());
    const transport = await this.openTransport();
    this.client = client;
    await this.guard(client.connect(transport, { ...this.requestOptions(), prior }), "connect");
    const version = client.getServerVersion();
    const era = client.getProtocolEra();
    return {
      server: version ? `${version.name} ${version.version}` : undefined,
      protocolVersion: client.getNegotiatedProtocolVersion(),
      era,
      sessionId: (transport as { sessionId?: string }).sessionId,
      capabilities: Object.keys(client.getServerCapabilities() ?? {}),
      discover: era === "modern" ? client.getDiscoverResult() : undefined,
    };
  }

  async listTools(): Promise<ToolListing> {
    this.base.warnings.take();
    const { tools } = await this.guard(
      this.connected().listTools(undefined, this.requestOptions()),
      "tools/list",
    );
    const skipped = this.base.warnings
      .take()
      .map(skippedTool)
      .filter((tool) => tool !== undefined);
    return { tools, skipped };
  }

  async callTool(tool: Tool, args: Record<string, unknown>): Promise<CallToolResult> {
    this.base.answers.use(args);
    return this.guard(
      this.connected().callTool(
        { name: tool.name, arguments: args },
        { ...this.requestOptions(), toolDefinition: tool },
      ),
      "tools/call",
    );
  }

  async close(): Promise<void> {
    await this.closeClient();
  }

  private negotiation(): VersionNegotiationOptions {
    const protocol = this.base.protocol;
    if (protocol === "2025-11-25") return { mode: "legacy" };
    if (protocol === "2026-07-28") return { mode: { pin: protocol } };
    // On stdio a server that ignores the unknown server/discover is a 2025 server: do not wait --timeout.
    return { mode: "auto", probe: { timeoutMs: this.stdio ? 10_000 : this.base.timeoutMs } };
  }

  /** Ends the client (a subclass's close() may also end what the transport started). */
  private async closeClient(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.close().catch(() => undefined);
  }

  private connected(): Client {
    if (!this.client) throw new Error("MCP session is not connected");
    return this.client;
  }

  private requestOptions() {
    return { signal: this.base.signal, timeout: this.base.timeoutMs };
  }
}

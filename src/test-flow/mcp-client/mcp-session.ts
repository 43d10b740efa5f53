import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { CallToolResult, Tool } from "@modelcontextprotocol/sdk/types.js";
import type { FetchLike } from "../../entra/trust.js";
import { type BearerChallenge, bearerChallenge } from "../www-authenticate.js";

/** What every MCP session needs, whatever its transport. */
export interface SessionOptions {
  signal: AbortSignal;
  timeoutMs: number;
  clientVersion: string;
}

export interface McpSessionOptions extends SessionOptions {
  serverUrl: string;
  fetch: FetchLike;
  /** The current access token (it changes after a step-up). */
  token: () => string | undefined;
}

export interface ConnectedServer {
  server?: string;
  protocolVersion?: string;
  sessionId?: string;
  capabilities: string[];
}

/**
 * MCP through the SDK's Client over a transport of the subclass's choosing: initialize, tools/list
 * (all pages), tools/call. Each request is bounded by the flow's deadline and --timeout.
 */
export abstract class McpClientSession {
  private client?: Client;

  constructor(protected readonly base: SessionOptions) {}

  protected abstract openTransport(): Promise<Transport>;

  /** Every request goes through here (a subclass may end it early, e.g. when the server process exits). */
  protected guard<T>(request: Promise<T>, _what: string): Promise<T> {
    return request;
  }

  async connect(): Promise<ConnectedServer> {
    const { Client } = await loadMcpClient();
    await this.closeClient();
    const client = new Client({ name: "mcp-entra test-flow", version: this.base.clientVersion });
    const transport = await this.openTransport();
    this.client = client;
    await this.guard(client.connect(transport, this.requestOptions()), "initialize");
    const version = client.getServerVersion();
    const negotiated = transport as { protocolVersion?: string; sessionId?: string };
    return {
      server: version ? `${version.name} ${version.version}` : undefined,
      protocolVersion: negotiated.protocolVersion,
      sessionId: negotiated.sessionId ? "yes" : "no",
      capabilities: Object.keys(client.getServerCapabilities() ?? {}),
    };
  }

  async listTools(): Promise<Tool[]> {
    const tools: Tool[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.guard(
        this.connected().listTools(cursor ? { cursor } : undefined, this.requestOptions()),
        "tools/list",
      );
      tools.push(...page.tools);
      cursor = page.nextCursor;
    } while (cursor && tools.length < 1000);
    return tools;
  }

  async callTool(name: string, args: Record<string, unknown>): Promise<CallToolResult> {
    return (await this.guard(
      this.connected().callTool({ name, arguments: args }, undefined, this.requestOptions()),
      "tools/call",
    )) as CallToolResult;
  }

  async close(): Promise<void> {
    await this.closeClient();
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

/**
 * MCP over Streamable HTTP with the SDK's Client and transport. The bearer token goes in the
 * Authorization header of every request through our fetch (never in the query); the transport gets
 * no authProvider, so a 401/403 comes back to the flow runner, which owns re-authorization and its
 * bound. The last challenge the server sent is kept for the report and for step-up.
 */
export class McpSession extends McpClientSession {
  lastChallenge?: BearerChallenge;
  lastStatus?: number;

  constructor(private readonly options: McpSessionOptions) {
    super(options);
  }

  protected async openTransport(): Promise<Transport> {
    const { StreamableHTTPClientTransport } = await loadMcpClient();
    return new StreamableHTTPClientTransport(new URL(this.options.serverUrl), {
      fetch: this.authorizedFetch(),
    });
  }

  private authorizedFetch(): FetchLike {
    return async (input, init) => {
      const headers = new Headers(init?.headers);
      const token = this.options.token();
      if (token) headers.set("Authorization", `Bearer ${token}`);
      const response = await this.options.fetch(input, { ...init, headers });
      if (response.status === 401 || response.status === 403) {
        this.lastStatus = response.status;
        this.lastChallenge = bearerChallenge(response.headers);
      }
      return response;
    };
  }
}

/** The HTTP status of a transport error (the SDK's StreamableHTTPError carries it as `code`). */
export function httpStatusOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown })?.code;
  return error instanceof Error &&
    error.name !== "McpError" &&
    typeof code === "number" &&
    code >= 400 &&
    code < 600
    ? code
    : undefined;
}

let loading:
  | Promise<
      typeof import("@modelcontextprotocol/sdk/client/index.js") &
        typeof import("@modelcontextprotocol/sdk/client/streamableHttp.js")
    >
  | undefined;

/**
 * The MCP SDK's client and transport (a few hundred modules). Called early by the flow runner so
 * that loading them overlaps with discovery and sign-in, which mostly wait on the network.
 */
export function loadMcpClient() {
  loading ??= Promise.all([
    import("@modelcontextprotocol/sdk/client/index.js"),
    import("@modelcontextprotocol/sdk/client/streamableHttp.js"),
  ]).then(([client, transport]) => ({ ...client, ...transport }));
  return loading;
}

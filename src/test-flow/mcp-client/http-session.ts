import type { Transport } from "@modelcontextprotocol/client";
import type { FetchLike } from "../../entra/trust.js";
import { McpClientSession, type SessionOptions } from "./mcp-session.js";
import { loadSdk } from "./sdk.js";

export interface HttpSessionOptions extends SessionOptions {
  serverUrl: string;
  /** The fetch MCP requests go through (the flow's, recorded by its wire log). */
  fetch: FetchLike;
  /** The current access token, read before every request (it changes after a sign-in or a step-up). */
  token: () => string | undefined;
}

/**
 * MCP over Streamable HTTP with the SDK's Client and transport. The bearer token goes in the
 * Authorization header of every request (never in the query). The transport gets no OAuth provider:
 * a 401 or a 403 comes back to the flow, which owns discovery, sign-in, step-up and their bound, and
 * reports each of them as a step.
 */
export class HttpMcpSession extends McpClientSession {
  constructor(private readonly options: HttpSessionOptions) {
    super(options);
  }

  protected async openTransport(): Promise<Transport> {
    const { StreamableHTTPClientTransport } = await loadSdk();
    return new StreamableHTTPClientTransport(new URL(this.options.serverUrl), {
      fetch: this.options.fetch,
      authProvider: { token: async () => this.options.token() },
    });
  }
}

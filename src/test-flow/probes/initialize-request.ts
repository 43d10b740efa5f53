import { LATEST_PROTOCOL_VERSION } from "@modelcontextprotocol/sdk/types.js";

/**
 * A bare MCP `initialize` POST (Streamable HTTP), without the SDK's client: what the challenge step and
 * the probes send to see how the server answers a request with no token, or with a bad one.
 */
export function initializeRequest(clientVersion: string, headers: Record<string, string> = {}): RequestInit {
  return {
    method: "POST",
    redirect: "manual",
    headers: {
      Accept: "application/json, text/event-stream",
      "Content-Type": "application/json",
      "MCP-Protocol-Version": LATEST_PROTOCOL_VERSION,
      ...headers,
    },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 0,
      method: "initialize",
      params: {
        protocolVersion: LATEST_PROTOCOL_VERSION,
        capabilities: {},
        clientInfo: { name: "mcp-entra test-flow", version: clientVersion },
      },
    }),
  };
}

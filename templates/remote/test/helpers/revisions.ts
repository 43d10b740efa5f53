import type { ClientOptions } from "@modelcontextprotocol/client";

/** The MCP revisions this server speaks: 2026-07-28, and 2025-11-25 (served statelessly). */
export const REVISIONS = ["2026-07-28", "2025-11-25"] as const;
export type Revision = (typeof REVISIONS)[number];

/** What makes the SDK's Client speak `revision`: 2026-07-28 pinned (no fallback), or the 2025 handshake. */
export function clientOptions(revision: Revision): ClientOptions {
  return revision === "2026-07-28" ? { versionNegotiation: { mode: { pin: revision } } } : {};
}

/**
 * A JSON-RPC request as a client of `revision` POSTs it, for checks below the SDK: 2026-07-28 adds
 * the Mcp-Method and Mcp-Name headers and the per-request `_meta` envelope.
 */
export function rpcRequest(
  revision: Revision,
  method: string,
  params: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): RequestInit {
  const modern = revision === "2026-07-28";
  const name = typeof params.name === "string" ? params.name : undefined;
  const envelope = {
    "io.modelcontextprotocol/protocolVersion": revision,
    "io.modelcontextprotocol/clientCapabilities": {},
    "io.modelcontextprotocol/clientInfo": { name: "raw-test", version: "1.0.0" },
  };
  return {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Accept: "application/json, text/event-stream",
      "MCP-Protocol-Version": revision,
      ...(modern ? { "Mcp-Method": method, ...(name ? { "Mcp-Name": name } : {}) } : {}),
      ...headers,
    },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method,
      params: modern ? { ...params, _meta: envelope } : params,
    }),
  };
}

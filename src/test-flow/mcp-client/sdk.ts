/**
 * The MCP SDK v2 client package, loaded on first use: it is one bundle (the protocol, its schemas, the
 * auth helpers, a JSON Schema validator), so only the flows that talk MCP pay for loading it.
 */
export type Sdk = typeof import("@modelcontextprotocol/client");

let loading: Promise<Sdk> | undefined;

export function loadSdk(): Promise<Sdk> {
  loading ??= import("@modelcontextprotocol/client");
  return loading;
}

import { toNodeHandler } from "@modelcontextprotocol/node";
import { listen, type RequestHandler } from "./http-server.js";
import { serverFront } from "./mcp-server/endpoint.js";
import { RequestStateSeal } from "./mcp-server/input-rounds.js";
import { LegacySessions } from "./mcp-server/legacy-server.js";
import { modernHandler } from "./mcp-server/modern-server.js";
import type {
  AuthorizationServerRef,
  McpServerOptions,
  McpServerRecords,
  TokenCheck,
} from "./mcp-server/options.js";
import { protectedResourceLayout } from "./mcp-server/protected-resource.js";
import type { ServerState } from "./mcp-server/state.js";
import { type ToolDefinition, toolCatalogue } from "./mcp-server/tool-catalogue.js";

export type { AuthorizationServerRef, McpServerOptions, McpServerRecords } from "./mcp-server/options.js";
export { TOOL } from "./mcp-server/tool-catalogue.js";

/** A running MCP server (a protected resource per RFC 9728 and the MCP authorization spec). */
export interface McpServerFixture {
  /** The MCP endpoint, e.g. http://127.0.0.1:PORT/mcp. */
  url: string;
  /** The PRM `resource` value. */
  resource: string;
  /** Where the PRM is served, and what challenges name as `resource_metadata`. */
  prmUrls: { pathAware?: string; root?: string; challengeOnly?: string };
  resourceMetadataUrl?: string;
  /** tools/list as served (the malformed tools included). */
  tools: ToolDefinition[];
  records: McpServerRecords;
  /** Lists other authorization servers in the PRM from now on and trusts only their tokens (AS migration). */
  setAuthorizationServers(servers: AuthorizationServerRef[]): void;
  stop(): Promise<void>;
}

const ALL_CHECKS: TokenCheck[] = ["signature", "alg-none", "issuer", "expiry", "audience"];

export async function startMcpServer(options: McpServerOptions = {}): Promise<McpServerFixture> {
  const path = options.path ?? "/mcp";
  const eras = options.eras ?? "2026-07-28";
  const validation = options.tokenValidation ?? "strict";
  let handle: RequestHandler | undefined;
  const server = await listen((req, res) => handle!(req, res));
  const records: McpServerRecords = {
    requests: [],
    prm: [],
    headerChecks: [],
    toolCalls: [],
    inputRounds: [],
  };
  const now = options.now ?? Date.now;
  let layout: ReturnType<typeof protectedResourceLayout>;
  try {
    layout = protectedResourceLayout(server.origin, path, options.prm);
  } catch (error) {
    await server.close();
    throw error;
  }
  const state: ServerState = {
    options,
    origin: server.origin,
    path,
    url: `${server.origin}${path}`,
    layout,
    authorizationServers: options.authorizationServers ?? [],
    catalogue: toolCatalogue(options.malformedHeaderTools ?? ["number-type"]),
    records,
    seal: new RequestStateSeal(now),
    skip: new Set(validation === "strict" ? [] : validation === "careless" ? ALL_CHECKS : validation.skip),
    now,
  };
  const legacy = eras === "2025-11-25" ? new LegacySessions(state) : undefined;
  const modern =
    eras === "2025-11-25" ? undefined : modernHandler(state, eras === "both" ? "stateless" : "reject");
  handle = serverFront(state, { legacy, modern: modern && toNodeHandler(modern) });
  const prmUrls = Object.fromEntries(
    Object.entries(state.layout.paths).map(([kind, at]) => [kind, `${server.origin}${at}`]),
  );
  return {
    url: state.url,
    resource: state.layout.resource,
    prmUrls,
    resourceMetadataUrl: state.layout.resourceMetadataUrl,
    tools: state.catalogue,
    records,
    setAuthorizationServers: (servers) => {
      state.authorizationServers = servers;
    },
    stop: async () => {
      await Promise.all([legacy?.close(), modern?.close()]);
      await server.close();
    },
  };
}

import type { IncomingMessage, ServerResponse } from "node:http";
import { toNodeHandler } from "@modelcontextprotocol/node";
import { isLoopbackHost } from "./authorization-server/clients.js";
import { headerRecord, listen, readBody, sendJson } from "./http-server.js";
import { checkAccess } from "./mcp-server/access-check.js";
import { RequestStateSeal } from "./mcp-server/input-rounds.js";
import { LegacySessions } from "./mcp-server/legacy-server.js";
import { modernHandler } from "./mcp-server/modern-server.js";
import type {
  AuthorizationServerRef,
  McpRequestRecord,
  McpServerOptions,
  McpServerRecords,
  TokenCheck,
} from "./mcp-server/options.js";
import { protectedResourceDocument, protectedResourceLayout } from "./mcp-server/protected-resource.js";
import { checkParamHeaders, checkStandardHeaders, viewBody } from "./mcp-server/request-headers.js";
import type { CallerAuth, ServerState } from "./mcp-server/state.js";
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
  let state: ServerState | undefined;
  const server = await listen((req, res) => front(state!, req, res));
  const records: McpServerRecords = {
    requests: [],
    prm: [],
    headerChecks: [],
    toolCalls: [],
    inputRounds: [],
  };
  const now = options.now ?? Date.now;
  state = {
    options,
    origin: server.origin,
    path,
    url: `${server.origin}${path}`,
    layout: protectedResourceLayout(server.origin, path, options.prm),
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
  dispatchers.set(state, { legacy, modern: modern && toNodeHandler(modern) });
  const ready = state;
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
      ready.authorizationServers = servers;
    },
    stop: async () => {
      await Promise.all([legacy?.close(), modern?.close()]);
      await server.close();
    },
  };
}

type NodeHandler = ReturnType<typeof toNodeHandler>;
const dispatchers = new WeakMap<ServerState, { legacy?: LegacySessions; modern?: NodeHandler }>();

async function front(state: ServerState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", state.origin);
  const prmPaths = Object.values(state.layout.paths);
  if (req.method === "GET" && prmPaths.includes(url.pathname) && state.options.authorizationServers) {
    state.records.prm.push({ path: url.pathname, status: 200 });
    const issuers = state.authorizationServers.map((server) => server.issuer);
    const scopes = state.options.prm?.scopesSupported ?? [state.options.requiredScope ?? "mcp:read"];
    return sendJson(res, 200, protectedResourceDocument(state.layout.resource, issuers, scopes), {
      "access-control-allow-origin": "*",
    });
  }
  if (url.pathname.startsWith("/.well-known/")) {
    state.records.prm.push({ path: url.pathname, status: 404 });
    return sendJson(res, 404, { error: "not_found" });
  }
  if (url.pathname !== state.path) return sendJson(res, 404, { error: "not_found" });
  await mcpEndpoint(state, req, res);
}

async function mcpEndpoint(
  state: ServerState,
  req: IncomingMessage & { auth?: CallerAuth },
  res: ServerResponse,
): Promise<void> {
  const text = req.method === "POST" ? await readBody(req) : "";
  let body: unknown;
  try {
    body = text === "" ? undefined : JSON.parse(text);
  } catch {
    return sendJson(res, 400, { jsonrpc: "2.0", error: { code: -32700, message: "Parse error" }, id: null });
  }
  const view = viewBody(body);
  const headers = headerRecord(req);
  const record: McpRequestRecord = {
    httpMethod: req.method ?? "",
    path: req.url ?? "",
    era: view.method === undefined ? "none" : view.protocolVersion ? "modern" : "legacy",
    rpcMethod: view.method,
    rpcId: view.id,
    rpcName: view.name,
    headers: {
      protocolVersion: headers["mcp-protocol-version"],
      mcpMethod: headers["mcp-method"],
      mcpName: headers["mcp-name"],
      sessionId: headers["mcp-session-id"],
      params: Object.fromEntries(Object.entries(headers).filter(([name]) => name.startsWith("mcp-param-"))),
    },
    token: req.headers.authorization ? "invalid" : "none",
    status: 0,
  };
  state.records.requests.push(record);
  res.on("finish", () => {
    record.status = res.statusCode;
  });
  const origin = req.headers.origin;
  if (origin !== undefined && !isLoopbackHost(safeHostname(origin))) {
    // streamable-http.mdx "Security & Endpoint": an invalid Origin MUST get 403.
    record.refusal = "origin";
    return sendJson(res, 403, {
      jsonrpc: "2.0",
      error: { code: -32000, message: "Forbidden origin" },
      id: null,
    });
  }
  const access = await checkAccess(state, req, view, record);
  if (!access.allow) {
    record.refusal = access.refusal;
    record.wwwAuthenticate = access.wwwAuthenticate;
    return sendJson(
      res,
      access.status,
      { error: access.refusal },
      { "www-authenticate": access.wwwAuthenticate },
    );
  }
  const { legacy, modern } = dispatchers.get(state)!;
  if (modern && record.era === "modern" && view.isRequest && (state.options.headerValidation ?? true)) {
    const problem = headerProblem(state, req, view);
    if (problem) {
      record.refusal = "header_mismatch";
      return sendJson(res, 400, {
        jsonrpc: "2.0",
        id: view.id,
        error: { code: -32020, message: `Header mismatch: ${problem}` },
      });
    }
  }
  if (access.auth) req.auth = access.auth;
  if (legacy) return legacy.handle(req, res, body);
  await modern!(req, res, body);
}

/** streamable-http.mdx "Server Validation" and "Server Behavior for Custom Headers". */
function headerProblem(
  state: ServerState,
  req: IncomingMessage,
  view: ReturnType<typeof viewBody>,
): string | undefined {
  const standard = checkStandardHeaders(req.headers, view);
  if (standard) return standard;
  if (view.method !== "tools/call") return undefined;
  const tool = state.catalogue.find(
    (candidate) => candidate.name === view.name && !candidate.name.startsWith("malformed_"),
  );
  if (!tool) return undefined;
  const check = checkParamHeaders(tool, view.params?.arguments, req.headers);
  if (
    Object.keys(check.expected).length > 0 ||
    Object.keys(check.received).length > 0 ||
    check.problems.length > 0
  ) {
    state.records.headerChecks.push(check);
  }
  return check.problems[0];
}

function safeHostname(origin: string): string {
  try {
    return new URL(origin).hostname;
  } catch {
    return "";
  }
}

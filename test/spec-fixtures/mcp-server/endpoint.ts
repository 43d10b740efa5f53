import type { IncomingMessage, ServerResponse } from "node:http";
import type { toNodeHandler } from "@modelcontextprotocol/node";
import { isLoopbackHost, safeUrl } from "../authorization-server/clients.js";
import { headerRecord, readBody, sendJson } from "../http-server.js";
import { checkAccess } from "./access-check.js";
import type { LegacySessions } from "./legacy-server.js";
import type { McpRequestRecord } from "./options.js";
import { protectedResourceDocument } from "./protected-resource.js";
import { checkParamHeaders, checkStandardHeaders, viewBody } from "./request-headers.js";
import type { CallerAuth, ServerState } from "./state.js";

/** Where requests to the MCP endpoint go once the fixture let them through: one of the two SDKs. */
export interface Dispatch {
  legacy?: LegacySessions;
  modern?: ReturnType<typeof toNodeHandler>;
}

/** The HTTP side of the MCP server: PRM documents, then the MCP endpoint's checks before the SDK. */
export function serverFront(state: ServerState, dispatch: Dispatch) {
  return (req: IncomingMessage, res: ServerResponse) => front(state, dispatch, req, res);
}

async function front(
  state: ServerState,
  dispatch: Dispatch,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
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
  await mcpEndpoint(state, dispatch, req, res);
}

async function mcpEndpoint(
  state: ServerState,
  { legacy, modern }: Dispatch,
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
    token: "none",
    status: 0,
  };
  state.records.requests.push(record);
  res.on("finish", () => {
    record.status = res.statusCode;
  });
  const origin = req.headers.origin;
  if (origin !== undefined && !isLoopbackHost(safeUrl(origin)?.hostname ?? "")) {
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

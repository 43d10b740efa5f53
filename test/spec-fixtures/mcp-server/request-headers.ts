import type { IncomingHttpHeaders } from "node:http";
import type { HeaderCheckRecord } from "./options.js";
import type { ToolDefinition } from "./tool-catalogue.js";

/** The fields of a JSON-RPC body the headers mirror (streamable-http.mdx, "Request Metadata"). */
export interface RpcView {
  method?: string;
  id?: unknown;
  /** `params.name` or `params.uri`. */
  name?: string;
  /** `params._meta["io.modelcontextprotocol/protocolVersion"]`: present on modern requests only. */
  protocolVersion?: string;
  params?: Record<string, unknown>;
  isRequest: boolean;
}

export const PROTOCOL_VERSION_KEY = "io.modelcontextprotocol/protocolVersion";

export function viewBody(body: unknown): RpcView {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return { isRequest: false };
  const message = body as Record<string, unknown>;
  const params =
    typeof message.params === "object" && message.params !== null
      ? (message.params as Record<string, unknown>)
      : undefined;
  const meta = params?._meta as Record<string, unknown> | undefined;
  const name = params?.name ?? params?.uri;
  return {
    method: typeof message.method === "string" ? message.method : undefined,
    id: message.id,
    name: typeof name === "string" ? name : undefined,
    protocolVersion:
      typeof meta?.[PROTOCOL_VERSION_KEY] === "string" ? (meta[PROTOCOL_VERSION_KEY] as string) : undefined,
    params,
    isRequest: "id" in message && typeof message.method === "string",
  };
}

/** Header values are visible ASCII, space and tab (RFC 9110 §5.5, "Value Encoding"). */
const VALID_VALUE = /^[\t\x20-\x7e]*$/;
const SENTINEL = /^=\?base64\?(.*)\?=$/;

/** A header value after the Base64 sentinel is decoded, or an error message. */
export function decodeHeaderValue(raw: string): { value: string } | { problem: string } {
  if (!VALID_VALUE.test(raw)) return { problem: "contains characters outside visible ASCII, space and tab" };
  const encoded = SENTINEL.exec(raw)?.[1];
  if (encoded === undefined) return { value: raw };
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded) || encoded.length % 4 !== 0)
    return { problem: "malformed Base64 sentinel" };
  return { value: Buffer.from(encoded, "base64").toString("utf8") };
}

const NAMED_METHODS = new Set(["tools/call", "resources/read", "prompts/get"]);

/**
 * "Server Validation": MCP-Protocol-Version, Mcp-Method and (for tools/call, resources/read, prompts/get)
 * Mcp-Name are required on a modern request and must match the body, after decoding. Returns the problem.
 */
export function checkStandardHeaders(headers: IncomingHttpHeaders, view: RpcView): string | undefined {
  const checks: Array<[string, string | undefined]> = [
    ["mcp-protocol-version", view.protocolVersion],
    ["mcp-method", view.method],
  ];
  if (view.method && NAMED_METHODS.has(view.method)) checks.push(["mcp-name", view.name]);
  for (const [name, body] of checks) {
    const raw = headers[name];
    if (typeof raw !== "string") return `the required ${name} header is missing`;
    const decoded =
      name === "mcp-name"
        ? decodeHeaderValue(raw)
        : VALID_VALUE.test(raw)
          ? { value: raw }
          : { problem: "invalid characters" };
    if ("problem" in decoded) return `${name}: ${decoded.problem}`;
    if (decoded.value !== body)
      return `${name} header value '${decoded.value}' does not match body value '${body}'`;
  }
  return undefined;
}

interface Annotation {
  path: string[];
  header: string;
  type: unknown;
}

/** x-mcp-header annotations reachable from the schema root through `properties` only ("Schema Extension"). */
export function headerAnnotations(schema: Record<string, unknown>, path: string[] = []): Annotation[] {
  const properties = schema.properties as Record<string, Record<string, unknown>> | undefined;
  const found: Annotation[] = [];
  for (const [key, property] of Object.entries(properties ?? {})) {
    const header = property["x-mcp-header"];
    if (typeof header === "string") found.push({ path: [...path, key], header, type: property.type });
    found.push(...headerAnnotations(property, [...path, key]));
  }
  return found;
}

/**
 * "Server Behavior for Custom Headers": for each annotated parameter, a value in the body needs the
 * header, a null or absent value needs its absence, and the decoded header must equal the value
 * (integers compared numerically, booleans as lower-case "true"/"false").
 */
export function checkParamHeaders(
  tool: ToolDefinition,
  args: unknown,
  headers: IncomingHttpHeaders,
): HeaderCheckRecord {
  const record: HeaderCheckRecord = { tool: tool.name, expected: {}, received: {}, problems: [] };
  for (const annotation of headerAnnotations(tool.inputSchema)) {
    const name = `mcp-param-${annotation.header.toLowerCase()}`;
    const value = annotation.path.reduce<unknown>(
      (at, key) => (at as Record<string, unknown> | undefined)?.[key],
      args,
    );
    const raw = headers[name];
    const present = value !== undefined && value !== null;
    if (present) record.expected[name] = String(value);
    if (typeof raw !== "string") {
      if (present) record.problems.push(`${name} is missing but ${annotation.path.join(".")} is in the body`);
      continue;
    }
    const decoded = decodeHeaderValue(raw);
    if ("problem" in decoded) {
      record.problems.push(`${name}: ${decoded.problem}`);
      continue;
    }
    record.received[name] = decoded.value;
    if (!present)
      record.problems.push(`${name} is present but ${annotation.path.join(".")} has no value in the body`);
    else if (!sameValue(decoded.value, value, annotation.type)) {
      record.problems.push(`${name} is '${decoded.value}' but the body has ${JSON.stringify(value)}`);
    }
  }
  return record;
}

function sameValue(header: string, body: unknown, type: unknown): boolean {
  if (type === "integer") return header.trim() !== "" && Number(header) === body;
  if (type === "boolean") return header === String(body);
  return header === body;
}

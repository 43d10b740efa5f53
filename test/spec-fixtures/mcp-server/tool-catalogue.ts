import type { MalformedHeaderKind } from "./options.js";

/** A tool definition as it goes on the wire (server/tools.mdx, "Tool"). */
export interface ToolDefinition {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

export const TOOL = {
  echo: "echo",
  /** Parameters mirrored into `Mcp-Param-*` headers, nested one included. */
  headers: "route_query",
  /** An input schema with `$defs` and `$ref` (JSON Schema 2020-12, basic/index.mdx "JSON Schema Usage"). */
  ref: "lookup_address",
  /** Needs the step-up scope. */
  stepUp: "admin_reset",
  /** Asks for input over several rounds (basic/patterns/mrtr.mdx). */
  inputRounds: "confirm_deploy",
} as const;

const echo: ToolDefinition = {
  name: TOOL.echo,
  description: "Echo the text back",
  inputSchema: { type: "object", properties: { text: { type: "string" } }, required: ["text"] },
};

/** streamable-http.mdx "Custom Headers from Tool Parameters": string, integer, boolean, and a nested property. */
const headers: ToolDefinition = {
  name: TOOL.headers,
  description: "Route a query; region, priority, dry_run and target.tenant travel as Mcp-Param-* headers",
  inputSchema: {
    type: "object",
    properties: {
      region: { type: "string", "x-mcp-header": "Region" },
      priority: { type: "integer", "x-mcp-header": "Priority" },
      dry_run: { type: "boolean", "x-mcp-header": "Dry-Run" },
      target: {
        type: "object",
        properties: { tenant: { type: "string", "x-mcp-header": "Tenant" } },
      },
      query: { type: "string" },
    },
    required: ["region", "query"],
  },
};

const ref: ToolDefinition = {
  name: TOOL.ref,
  description: "Look an address up; the schema reuses one definition through $ref",
  inputSchema: {
    type: "object",
    properties: {
      address: { $ref: "#/$defs/address" },
      alternate: { $ref: "#/$defs/address" },
    },
    required: ["address"],
    additionalProperties: false,
    $defs: {
      address: {
        type: "object",
        properties: { street: { type: "string" }, city: { type: "string" } },
        required: ["city"],
        additionalProperties: false,
      },
    },
  },
};

const stepUp: ToolDefinition = {
  name: TOOL.stepUp,
  description: "Reset everything; needs the step-up scope",
  inputSchema: { type: "object", additionalProperties: false },
};

const inputRounds: ToolDefinition = {
  name: TOOL.inputRounds,
  description: "Deploy after asking for confirmation (and a reason) through input requests",
  inputSchema: { type: "object", properties: { environment: { type: "string" } }, required: ["environment"] },
};

/** One invalid declaration per kind, each in its own tool, beside a valid property. */
const MALFORMED: Record<MalformedHeaderKind, Record<string, unknown>> = {
  "number-type": { amount: { type: "number", "x-mcp-header": "Amount" } },
  duplicate: {
    first: { type: "string", "x-mcp-header": "Region" },
    second: { type: "string", "x-mcp-header": "region" },
  },
  "in-array": {
    items: {
      type: "array",
      items: { type: "object", properties: { id: { type: "string", "x-mcp-header": "Item-Id" } } },
    },
  },
  "invalid-token": { label: { type: "string", "x-mcp-header": "Bad Header" } },
  empty: { label: { type: "string", "x-mcp-header": "" } },
};

export function malformedToolName(kind: MalformedHeaderKind): string {
  return `malformed_${kind.replace(/-/g, "_")}`;
}

/** The tools/list result, in a deterministic order (server/tools.mdx). */
export function toolCatalogue(malformed: MalformedHeaderKind[]): ToolDefinition[] {
  return [
    echo,
    headers,
    ref,
    stepUp,
    inputRounds,
    ...malformed.map((kind) => ({
      name: malformedToolName(kind),
      description: `Declares x-mcp-header invalidly (${kind}); a conforming client excludes it`,
      inputSchema: { type: "object", properties: { note: { type: "string" }, ...MALFORMED[kind] } },
    })),
  ];
}

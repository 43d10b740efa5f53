import { Ajv2020 } from "ajv/dist/2020.js";
import { TOOL, type ToolDefinition } from "./tool-catalogue.js";

export interface ToolResult {
  content: Array<{ type: "text"; text: string }>;
  isError?: boolean;
  [key: string]: unknown;
}

const ajv = new Ajv2020({ allErrors: true, strict: false });

const text = (value: string, isError = false): ToolResult => ({
  content: [{ type: "text", text: value }],
  ...(isError ? { isError } : {}),
});

/**
 * The answers of the tools that need no input rounds, the same in both eras. Arguments are validated
 * against the advertised input schema with a JSON Schema 2020-12 validator, `$ref` included (server/tools.mdx,
 * "Error Handling": input validation errors are tool execution errors). Undefined for an unknown tool.
 */
export function simpleToolResult(tool: ToolDefinition | undefined, args: unknown): ToolResult | undefined {
  if (!tool) return undefined;
  const validate = ajv.compile(tool.inputSchema);
  if (!validate(args ?? {})) {
    return text(`Input validation error: ${ajv.errorsText(validate.errors)}`, true);
  }
  const values = (args ?? {}) as Record<string, unknown>;
  switch (tool.name) {
    case TOOL.echo:
      return text(String(values.text));
    case TOOL.headers:
      return text(`routed ${JSON.stringify(values)}`);
    case TOOL.ref: {
      const address = values.address as { city: string; street?: string };
      return text(`found ${address.street ? `${address.street}, ` : ""}${address.city}`);
    }
    case TOOL.stepUp:
      return text("reset done");
    default:
      return text(`${tool.name} was called although its x-mcp-header declaration is invalid`);
  }
}

import type { ElicitRequest, ElicitResult } from "@modelcontextprotocol/client";

/**
 * How test-flow answers what a server asks in the middle of a call (2026-07-28 multi-round-trip
 * `input_required` results, or 2025-era server requests; the SDK delivers both to the same handlers):
 * a form elicitation is accepted with the values --args holds for its fields (the SDK fills in the
 * schema's defaults), and declined when a required field has neither; a URL elicitation is declined
 * (nobody opens it); roots/list answers that there are none. Sampling is not offered (no model here).
 */
export interface InputAnswer {
  method: string;
  /** What the answer was: accept (fields), decline (why), or the roots given. */
  answer: string;
}

export class InputAnswers {
  private readonly log: InputAnswer[] = [];
  private args: Record<string, unknown> = {};

  /** The arguments of the call in progress: the values a form may take. */
  use(args: Record<string, unknown>): void {
    this.args = args;
  }

  /** The answers given since the last call. */
  take(): InputAnswer[] {
    return this.log.splice(0);
  }

  elicit(params: ElicitRequest["params"]): ElicitResult {
    if (params.mode === "url") {
      this.log.push({
        method: "elicitation/create",
        answer: "decline (a URL elicitation: nobody here opens it)",
      });
      return { action: "decline" };
    }
    const schema = "requestedSchema" in params ? params.requestedSchema : undefined;
    const properties = (schema?.properties ?? {}) as Record<string, { default?: unknown }>;
    const content: Record<string, string | number | boolean | string[]> = {};
    for (const [field, value] of Object.entries(this.args)) {
      if (field in properties && isPrimitive(value)) content[field] = value;
    }
    const required = (schema?.required ?? []) as string[];
    const missing = required.filter(
      (field) => !(field in content) && properties[field]?.default === undefined,
    );
    if (missing.length > 0) {
      this.log.push({
        method: "elicitation/create",
        answer: `decline (no value for ${missing.join(", ")} in --args, and no default)`,
      });
      return { action: "decline" };
    }
    const fields = Object.keys(content);
    this.log.push({
      method: "elicitation/create",
      answer: `accept (${fields.length > 0 ? `${fields.join(", ")} from --args` : "the schema's defaults"})`,
    });
    return { action: "accept", content };
  }

  roots(): { roots: [] } {
    this.log.push({ method: "roots/list", answer: "no roots" });
    return { roots: [] };
  }
}

function isPrimitive(value: unknown): value is string | number | boolean | string[] {
  return (
    ["string", "number", "boolean"].includes(typeof value) ||
    (Array.isArray(value) && value.every((item) => typeof item === "string"))
  );
}

import { UsageError } from "../core/errors.js";
import { type AadstsEntry, aadstsCodesIn, lookupAadsts } from "./aadsts.js";
import { lookupMcpFailure, type McpFailureEntry } from "./mcp-failures.js";

/**
 * An AADSTS code (or a common MCP client failure, by test-flow's error code) in people's terms: what
 * it means, the registration field involved, the fix.
 */
export interface Explanation {
  code: string;
  error: string;
  message: string;
  cause?: string;
  field?: string;
  fix?: string;
}

export function explanationOf(entry: AadstsEntry): Explanation {
  return {
    code: `AADSTS${entry.code}`,
    error: entry.error,
    message: entry.message.replace(/'?\{\w+\}'?/g, "…"),
    cause: entry.cause,
    field: entry.field,
    fix: entry.fix,
  };
}

function explanationOfFailure(entry: McpFailureEntry): Explanation {
  return { ...entry };
}

/** `mcp-entra explain <code>`: the catalogue entry, or a usage error for a code it does not know. */
export function explainAadsts(code: string): Explanation {
  const failure = lookupMcpFailure(code);
  if (failure) return explanationOfFailure(failure);
  const entry = lookupAadsts(code);
  if (!entry) {
    throw new UsageError("UNKNOWN_AADSTS_CODE", `${code} is not an AADSTS code mcp-entra knows.`, {
      suggestion:
        "Pass a code such as AADSTS50011 or 50011; unknown codes are documented at https://login.microsoftonline.com/error.",
    });
  }
  return explanationOf(entry);
}

/**
 * Explanations for every known AADSTS code in an error text, once each, in order — after the one for
 * the failure's own code (test-flow's), when it is a known MCP client failure.
 */
export function explanationsIn(text: string, failureCode?: string): Explanation[] {
  const failure = failureCode ? lookupMcpFailure(failureCode) : undefined;
  const codes = [...new Set(aadstsCodesIn(text))];
  return [
    ...(failure ? [explanationOfFailure(failure)] : []),
    ...codes.flatMap((code) => {
      const entry = lookupAadsts(code);
      return entry ? [explanationOf(entry)] : [];
    }),
  ];
}

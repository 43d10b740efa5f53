import { UsageError } from "../core/errors.js";
import { type AadstsEntry, aadstsCodesIn, lookupAadsts } from "./aadsts.js";

/** An AADSTS code in people's terms: what it means, the registration field involved, the fix. */
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

/** `mcp-entra explain <code>`: the catalogue entry, or a usage error for a code it does not know. */
export function explainAadsts(code: string): Explanation {
  const entry = lookupAadsts(code);
  if (!entry) {
    throw new UsageError("UNKNOWN_AADSTS_CODE", `${code} is not an AADSTS code mcp-entra knows.`, {
      suggestion:
        "Pass a code such as AADSTS50011 or 50011; unknown codes are documented at https://login.microsoftonline.com/error.",
    });
  }
  return explanationOf(entry);
}

/** Explanations for every known AADSTS code in an error text, once each, in order. */
export function explanationsIn(text: string): Explanation[] {
  const codes = [...new Set(aadstsCodesIn(text))];
  return codes.flatMap((code) => {
    const entry = lookupAadsts(code);
    return entry ? [explanationOf(entry)] : [];
  });
}

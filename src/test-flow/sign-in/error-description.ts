/**
 * Entra's error descriptions end in trace ids and timestamps, and msal-node wraps them in more
 * ("Error(s): … - Timestamp: … - Description: AADSTS…"); the report keeps the AADSTS sentence.
 */
export function tidyErrorDescription(text: string): string {
  const described =
    /Description: (AADSTS[\s\S]*?)(?: - Correlation ID:| - Trace ID:|$)/.exec(text)?.[1] ?? text;
  return described.replace(/\s+Trace ID:[\s\S]*$/, "").trim();
}

import { expect } from "vitest";
import { AADSTS } from "../../src/entra/aadsts.js";
import type { RecordedResponse } from "./msal-clients.js";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Asserts that a token endpoint answered with Entra's error shape for AADSTS `code`: HTTP 400/401 as
 * Entra uses for that code, JSON `{error, error_description, error_codes, timestamp, trace_id,
 * correlation_id}` with the ids repeated in the description, and no Retry-After (which would make
 * msal throttle the client).
 */
export function expectEntraError(response: RecordedResponse, code: number): void {
  const entry = AADSTS.get(code);
  if (!entry) throw new Error(`AADSTS${code} is not in the catalogue`);
  const body = response.body as Record<string, unknown> | undefined;
  expect(body, `AADSTS${code}: no JSON body`).toBeTypeOf("object");
  expect(body?.error_codes, String(body?.error_description)).toEqual([code]);
  expect(response.status).toBe(entry.status);
  expect([400, 401]).toContain(response.status);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  expect(response.headers.get("retry-after")).toBeNull();
  expect(body?.error).toBe(entry.error);
  const description = String(body?.error_description);
  expect(description.startsWith(`AADSTS${code}: `)).toBe(true);
  expect(body?.trace_id).toMatch(GUID);
  expect(body?.correlation_id).toBeTypeOf("string");
  expect(body?.timestamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
  expect(description).toContain(`Trace ID: ${body?.trace_id}`);
  expect(description).toContain(`Correlation ID: ${body?.correlation_id}`);
  expect(description).toContain(`Timestamp: ${body?.timestamp}`);
}

/**
 * Awaits an msal call that must fail with AADSTS `code`: msal surfaces Entra's error (same OAuth error,
 * same correlation id) and the raw response has Entra's shape.
 */
export async function expectMsalEntraError(
  call: Promise<unknown>,
  responses: RecordedResponse[],
  code: number,
): Promise<void> {
  const error = await call.then(
    () => {
      throw new Error(`Expected AADSTS${code}, but msal got a token`);
    },
    (failure: unknown) => failure as { errorCode?: string; errorMessage?: string; correlationId?: string },
  );
  const response = responses.filter((candidate) => candidate.url.includes("/oauth2/")).at(-1);
  if (!response) throw new Error(`msal failed before any token request: ${String(error)}`);
  expectEntraError(response, code);
  const body = response.body as { error: string; correlation_id: string };
  expect(error.errorCode).toBe(body.error);
  expect(error.errorMessage).toContain(`AADSTS${code}:`);
  expect(error.correlationId).toBe(body.correlation_id);
}

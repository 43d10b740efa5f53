import { randomUUID } from "node:crypto";
import { AADSTS, fillMessage } from "../../entra/aadsts.js";

/**
 * An Entra protocol error. Thrown anywhere in the identity endpoints and serialised in one place
 * (`aadstsBody`) into Entra's JSON shape, or into redirect parameters by /authorize.
 */
export class AadstsError extends Error {
  readonly code: number;
  readonly error: string;
  readonly status: number;
  readonly suberror?: string;

  /**
   * `options.error` replaces the catalogue's OAuth error where the context needs another one, e.g. a
   * redirect from /authorize (`consent_required`, `access_denied`) or device polling
   * (`authorization_declined`). `options.suberror` is Entra's hint to msal on the token endpoint:
   * `consent_required` (65001) and `bad_token` (a refresh token to drop from the cache).
   */
  constructor(
    code: number,
    params: Record<string, string | number | undefined> = {},
    options: { error?: string; suberror?: string } = {},
  ) {
    const entry = AADSTS.get(code);
    if (!entry) throw new Error(`Unknown AADSTS code ${code}`);
    super(fillMessage(entry, params));
    this.code = code;
    this.error = options.error ?? entry.error;
    this.status = entry.status;
    this.suberror = options.suberror;
  }

  get description(): string {
    return `AADSTS${this.code}: ${this.message}`;
  }
}

export interface AadstsBody {
  error: string;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
  error_uri: string;
  suberror?: string;
}

/** Entra's error body; the trace and correlation ids are repeated in the description as Entra does. */
export function aadstsBody(error: AadstsError, origin: string, correlationId?: string): AadstsBody {
  const traceId = randomUUID();
  const correlation = correlationId && /^[\w-]{1,64}$/.test(correlationId) ? correlationId : randomUUID();
  const timestamp = new Date()
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d+Z$/, "Z");
  return {
    error: error.error,
    error_description: `${error.description} Trace ID: ${traceId} Correlation ID: ${correlation} Timestamp: ${timestamp}`,
    error_codes: [error.code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlation,
    error_uri: `${origin}/error?code=${error.code}`,
    ...(error.suberror ? { suberror: error.suberror } : {}),
  };
}

import type { TenantContext } from "../context.js";
import { AadstsError, aadstsBody } from "./protocol-error.js";

/** A malformed request that is no Entra error: answered `invalid_request` with its own description. */
export class RequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** What the identity endpoints answer for an error: status, extra headers and JSON body. */
export interface ErrorAnswer {
  status: number;
  headers: Record<string, string>;
  body: object;
}

/**
 * An error as the identity endpoints answer it: an AadstsError in Entra's shape (correlated with the
 * request's `client-request-id`), a client error (status < 500) as a malformed request (described
 * when it is a RequestError), anything else
 * as a masked server error — the body never carries internal details.
 */
export function errorAnswer(ctx: TenantContext, error: unknown, correlationId: unknown): ErrorAnswer {
  if (error instanceof AadstsError) {
    const correlation = typeof correlationId === "string" ? correlationId : undefined;
    return {
      status: error.status,
      headers: { "Cache-Control": "no-store" },
      body: aadstsBody(error, ctx.origin, correlation),
    };
  }
  const declared = (error as { status?: unknown } | undefined)?.status;
  const status = typeof declared === "number" && declared < 500 ? declared : 500;
  if (status === 500) {
    process.stderr.write(`dev tenant: ${(error as { stack?: unknown } | undefined)?.stack ?? error}\n`);
  }
  return {
    status,
    headers: {},
    body: {
      error: status === 500 ? "server_error" : "invalid_request",
      error_description:
        status === 500
          ? "The dev tenant failed to handle the request."
          : error instanceof RequestError
            ? error.message
            : "Malformed request.",
    },
  };
}

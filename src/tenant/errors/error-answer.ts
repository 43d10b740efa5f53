import type { ErrorRequestHandler, Request, Response } from "express";
import { asOAuthError } from "./oauth-error.js";
import { type ErrorRequest, WireError } from "./wire-error.js";

/** What the tenant answers for an error: status, headers (with the content type) and JSON body. */
export interface ErrorAnswer {
  status: number;
  headers: Record<string, string>;
  body: object;
}

/**
 * The one place errors become answers: a WireError in its own dialect; anything else as `foreign`
 * makes it a WireError — the identity endpoints' by default (a client error from express as a
 * malformed request, the rest masked), Graph's for /v1.0 and /beta (graph/errors.ts).
 */
export function errorAnswer(
  error: unknown,
  request: ErrorRequest,
  foreign: (error: unknown) => WireError = asOAuthError,
): ErrorAnswer {
  const wire = error instanceof WireError ? error : foreign(error);
  return {
    status: wire.status,
    headers: { ...wire.headers, "Content-Type": wire.contentType },
    body: wire.body(request),
  };
}

/** An express error handler that answers with errorAnswer; `requestOf` reads the ids a body quotes. */
export function answerErrors(
  requestOf: (req: Request, res: Response) => ErrorRequest,
  foreign?: (error: unknown) => WireError,
): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const answer = errorAnswer(error, requestOf(req, res), foreign);
    res.status(answer.status).set(answer.headers).send(JSON.stringify(answer.body));
  };
}

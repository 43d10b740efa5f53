import type { Request, RequestHandler, Response } from "express";
import type { Logger } from "../logger.js";
import { STORE_RETRY_AFTER_SECONDS, StoreUnavailableError } from "./store-health.js";

/**
 * An OAuth error in the shape of RFC 6749 §5.2 (and RFC 7591 §3.2.2 for registration):
 * `{ "error": "...", "error_description": "..." }`. Descriptions are for developers; they never
 * carry a token, a code or a secret.
 */
export class OAuthError extends Error {
  override readonly name = "OAuthError";
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
  ) {
    super(description);
  }
}

export function sendOAuthError(res: Response, error: OAuthError): void {
  if (error.status === 401) res.set("WWW-Authenticate", 'Basic realm="oauth-proxy"');
  setRetryAfter(res, error);
  res
    .status(error.status)
    .set("Cache-Control", "no-store")
    .json({ error: error.error, error_description: error.description });
}

/** A 503 tells when to try again: 60 seconds unless the answer already says (an unreachable store). */
export function setRetryAfter(res: Response, error: OAuthError): void {
  if (error.status === 503 && !res.get("Retry-After")) res.set("Retry-After", "60");
}

/**
 * An endpoint whose OAuthErrors are answered by `answer` (JSON for programs by default; the error
 * page for endpoints a browser visits), whose store outages become 503 `temporarily_unavailable`
 * (logged once by store-health.ts), and whose other failures become a masked 500 `server_error`
 * (logged with the message only).
 */
export function oauthHandler(
  log: Logger,
  handle: (req: Request, res: Response) => Promise<void>,
  answer: (res: Response, error: OAuthError) => void = sendOAuthError,
): RequestHandler {
  return async (req, res) => {
    try {
      await handle(req, res);
    } catch (error) {
      if (res.headersSent) return;
      if (error instanceof OAuthError) {
        answer(res, error);
        return;
      }
      if (error instanceof StoreUnavailableError) {
        res.set("Retry-After", String(STORE_RETRY_AFTER_SECONDS));
        answer(
          res,
          new OAuthError(
            "temporarily_unavailable",
            "The server cannot reach its store: try again shortly.",
            503,
          ),
        );
        return;
      }
      log.error("oauth proxy request failed", {
        path: req.path,
        error: error instanceof Error ? error.message : String(error),
      });
      answer(res, new OAuthError("server_error", "The request could not be completed.", 500));
    }
  };
}

/** Request parameters from a query or form body; repeated parameters are refused (RFC 6749 §3.1). */
export function singleParams(source: unknown): Record<string, string | undefined> {
  const params: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries((source ?? {}) as Record<string, unknown>)) {
    if (Array.isArray(value)) throw new OAuthError("invalid_request", `The ${name} parameter is repeated.`);
    if (typeof value === "string" && value !== "") params[name] = value;
  }
  return params;
}

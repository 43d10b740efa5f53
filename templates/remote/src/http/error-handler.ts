import type { ErrorRequestHandler } from "express";
import type { Logger } from "../logger.js";

/**
 * The last handler: client errors (body too large: 413, malformed JSON: 400) are named, server
 * errors are logged and masked, both as JSON-RPC errors.
 */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (error, _req, res, _next) => {
    const status =
      typeof error?.status === "number" && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500)
      log.error("request failed", { error: error instanceof Error ? error.message : String(error) });
    if (res.headersSent) return;
    const message =
      status === 413 ? "Request body too large." : status === 500 ? "Internal error." : "Bad request.";
    const code = status === 500 ? -32603 : error?.type === "entity.parse.failed" ? -32700 : -32600;
    res.status(status).json({ jsonrpc: "2.0", error: { code, message }, id: null });
  };
}

import type { RequestHandler } from "express";
import type { Logger } from "../logger.js";

/**
 * One log line per request: method, path (never the query string, which may carry secrets),
 * status, duration, who called (object and client ids, never the token) and which MCP method.
 */
export function requestLog(log: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      const body = req.body as { method?: unknown; params?: { name?: unknown } } | undefined;
      const rpc = body && typeof body.method === "string" ? body.method : undefined;
      const tool =
        rpc === "tools/call" && typeof body?.params?.name === "string" ? body.params.name : undefined;
      log.info("request", {
        method: req.method,
        path: req.path,
        status: res.statusCode,
        ms: Number((process.hrtime.bigint() - started) / 1_000_000n),
        caller: req.caller?.objectId,
        client: req.caller?.clientId,
        rpc,
        tool,
      });
    });
    next();
  };
}

import type { RequestHandler } from "express";
import { describeRule, isAllowed } from "../auth/access-rules.js";
import { bearerChallenge } from "../auth/protected-resource.js";
import type { Config } from "../config.js";
import type { ToolDefinition } from "../tools/tool.js";

interface RpcMessage {
  method?: unknown;
  params?: { name?: unknown };
}

/**
 * Answers HTTP 403 with `error="insufficient_scope"` when a `tools/call` names a tool the caller's
 * token does not grant, so MCP clients can step up (ask for the scope) as the spec describes. The
 * check reads the body, which both revisions carry the name in; a 2026-07-28 request's `Mcp-Name`
 * header must equal it (the MCP SDK refuses the request otherwise), so the two cannot disagree.
 */
export function toolAccess(config: Config, tools: readonly ToolDefinition[]): RequestHandler {
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  return (req, res, next) => {
    const caller = req.caller;
    const messages: RpcMessage[] = Array.isArray(req.body) ? req.body : [req.body ?? {}];
    for (const message of messages) {
      if (message?.method !== "tools/call" || typeof message.params?.name !== "string") continue;
      const tool = byName.get(message.params.name);
      if (!tool || (caller && isAllowed(tool.access, caller))) continue;
      const description = `${tool.name} requires ${describeRule(tool.access)}`;
      res
        .status(403)
        .set(
          "WWW-Authenticate",
          bearerChallenge(config.serverUrl, {
            error: "insufficient_scope",
            scope: config.scope,
            description,
          }),
        )
        .json({ error: "insufficient_scope", error_description: description });
      return;
    }
    next();
  };
}

import type { Express } from "express";
import type { TenantContext } from "../context.js";
import { TOKEN_RESPONSE_HEADERS, tokenEndpoint } from "./token-endpoint.js";
import { tokenFormBody } from "./token-form-body.js";

/**
 * POST /{tenant}/oauth2/v2.0/token, on the app itself (case-insensitive, trailing slash allowed) ahead
 * of the other identity routes: the endpoint that takes the most traffic walks the fewest layers.
 */
export function tokenRoutes(app: Express, ctx: TenantContext): void {
  app.post("/:tenant/oauth2/v2.0/token", tokenFormBody(), async (req, res) => {
    // A repeated name holds an array until tokenEndpoint refuses it.
    const params = req.body as Record<string, string | undefined>;
    const response = await tokenEndpoint(
      ctx,
      req.params.tenant as string,
      params,
      req.headers.authorization,
      req.headers.origin,
    );
    const text = JSON.stringify(response);
    res.writeHead(200, {
      ...TOKEN_RESPONSE_HEADERS,
      "Content-Type": "application/json; charset=utf-8",
      "Content-Length": Buffer.byteLength(text),
    });
    res.end(text);
  });
}

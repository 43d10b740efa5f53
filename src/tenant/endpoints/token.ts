import type { IncomingMessage, ServerResponse } from "node:http";
import type { TenantContext } from "../context.js";
import { errorAnswer } from "../errors/error-answer.js";
import { recordRequest } from "../server/request-log.js";
import { TOKEN_RESPONSE_HEADERS, tokenEndpoint } from "./token-endpoint.js";
import { readTokenForm } from "./token-form-body.js";

/** The path of the v2 token endpoint, as express matched it: any case, an optional trailing slash. */
const TOKEN_PATH = /^\/([^/?]+)\/oauth2\/v2\.0\/token\/?(?:\?|$)/i;

/**
 * POST /{tenant}/oauth2/v2.0/token, answered straight from the HTTPS server, ahead of the express
 * app (the only token route there is). The endpoint that takes the most traffic walks no router:
 * express alone costs 1.2× a bare signer's CPU per token (bench/token-endpoint.mjs, the floor row).
 * Returns false for any other request, which then goes to the app.
 */
export function tokenEndpointHandler(
  ctx: TenantContext,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    if (req.method !== "POST") return false;
    const match = TOKEN_PATH.exec(req.url ?? "");
    if (!match) return false;
    recordRequest(ctx.requestLog, req, res);
    void answer(ctx, decodedSegment(match[1]!), req, res);
    return true;
  };
}

async function answer(ctx: TenantContext, tenant: string, req: IncomingMessage, res: ServerResponse) {
  let params: Record<string, string | string[] | undefined> | undefined;
  try {
    params = await readTokenForm(req);
    // A repeated name holds an array until tokenEndpoint refuses it.
    const response = await tokenEndpoint(
      ctx,
      tenant,
      params as Record<string, string | undefined>,
      req.headers.authorization,
      req.headers.origin,
    );
    send(
      res,
      200,
      { ...TOKEN_RESPONSE_HEADERS, "Content-Type": "application/json; charset=utf-8" },
      response,
    );
  } catch (error) {
    const query = new URL(req.url ?? "/", "https://tenant").searchParams;
    const clientRequestId = params?.["client-request-id"] ?? query.get("client-request-id") ?? undefined;
    const { status, headers, body } = errorAnswer(error, { origin: ctx.origin, clientRequestId });
    send(res, status, headers, body);
  }
}

/** The tenant segment as express decodes a path parameter; a malformed escape stays as sent. */
function decodedSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

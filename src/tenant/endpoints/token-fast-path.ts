import type { IncomingMessage, ServerResponse } from "node:http";
import type { TenantContext } from "../context.js";
import { errorAnswer } from "../errors/error-answer.js";
import { isGraphPath, requestRecorder } from "../server/request-log.js";
import { readForm } from "./form-body.js";
import { TOKEN_RESPONSE_HEADERS, tokenEndpoint } from "./token-endpoint.js";

/**
 * The token endpoint without express: POST /{tenant}/oauth2/v2.0/token with a plain UTF-8 form body,
 * the request every token client sends, is answered straight from the HTTPS server's request handler.
 * Express's router, body parser and response helpers cost more CPU per request than the whole grant
 * (client authentication, scopes, claims), which bench/token-endpoint.mjs sets against the RS256
 * signature. The answers are express's: the same body limit and parsing (form-body.ts), the same
 * grant dispatch (token-endpoint.ts), the same errors (error-answer.ts), the same request log entry.
 * What the fast path does not take (compressed or non-UTF-8 bodies, other methods, paths express
 * routes elsewhere) goes to the express app, whose token route answers it alike.
 */

const TOKEN_PATH = /^\/([^/]+)\/oauth2\/v2\.0\/token\/?$/i;
const FORM_UTF8 = /^application\/x-www-form-urlencoded[ \t]*(;[ \t]*charset=("utf-8"|utf-8)[ \t]*)?$/i;

/** The request handler to run before the express app: true when it took the request. */
export function tokenFastPath(ctx: TenantContext): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    if (req.method !== "POST") return false;
    const url = req.url ?? "";
    const queryAt = url.indexOf("?");
    const path = queryAt === -1 ? url : url.slice(0, queryAt);
    const match = TOKEN_PATH.exec(path);
    if (!match || isGraphPath(path) || match[1]!.toLowerCase() === "_admin") return false;
    const contentType = req.headers["content-type"];
    if (contentType === undefined || !FORM_UTF8.test(contentType)) return false;
    const encoding = req.headers["content-encoding"];
    if (encoding !== undefined && encoding.toLowerCase() !== "identity") return false;
    let segment: string;
    try {
      segment = decodeURIComponent(match[1]!);
    } catch {
      return false;
    }
    res.once("close", requestRecorder(ctx.requestLog, "POST", path, "", res));
    readForm(req, (error, params) => {
      if (error) {
        send(res, errorAnswer(ctx, error, undefined));
        return;
      }
      tokenEndpoint(ctx, segment, params, req.headers.authorization).then(
        (response) => send(res, { status: 200, headers: TOKEN_RESPONSE_HEADERS, body: response }),
        (failure: unknown) => send(res, errorAnswer(ctx, failure, params["client-request-id"])),
      );
    });
    return true;
  };
}

function send(res: ServerResponse, answer: { status: number; headers: object; body: object }): void {
  const text = JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    ...answer.headers,
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
  });
  res.end(text);
}

import type { IncomingMessage } from "node:http";
import type { RequestHandler } from "express";
import { invalidRequest } from "../errors/oauth-error.js";

/** A form's parameters; a name sent more than once holds all its values (token-endpoint.ts refuses it). */
type FormParams = Record<string, string | string[] | undefined>;

const BODY_LIMIT = 256 * 1024;
const FORM_TYPE = "application/x-www-form-urlencoded";
const FORM = /^application\/x-www-form-urlencoded[ \t]*(;[ \t]*charset=("utf-8"|utf-8)[ \t]*)?$/i;

/**
 * The token endpoint's body: a UTF-8 form (what every token client sends), read with URLSearchParams.
 * express.urlencoded (body-parser, qs, iconv) costs about a tenth of the endpoint's CPU per token
 * (bench/token-endpoint.mjs); this is the part of it a token request needs. Another content type
 * leaves the body unread (params {}: the grant then names what is missing); a body over 256 kB is 413,
 * a compressed body or another charset 415.
 */
export function readTokenForm(req: IncomingMessage): Promise<FormParams> {
  const params: FormParams = Object.create(null);
  const contentType = req.headers["content-type"];
  if (!contentType?.toLowerCase().startsWith(FORM_TYPE)) return Promise.resolve(params);
  const encoding = req.headers["content-encoding"];
  if (!FORM.test(contentType) || (encoding !== undefined && encoding.toLowerCase() !== "identity")) {
    return Promise.reject(invalidRequest("The token endpoint takes an uncompressed UTF-8 form body.", 415));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    req.on("data", (chunk: Buffer) => {
      received += chunk.length;
      if (received <= BODY_LIMIT) chunks.push(chunk);
    });
    // A client that goes away mid-body gets no answer; its log entry (on close) shows status 0.
    req.on("error", () => {});
    req.on("end", () => {
      if (received > BODY_LIMIT) {
        reject(invalidRequest("The request body is larger than 256 kB.", 413));
        return;
      }
      const body = chunks.length === 1 ? chunks[0]!.toString() : Buffer.concat(chunks).toString();
      for (const [name, value] of new URLSearchParams(body)) {
        const earlier = params[name];
        params[name] = earlier === undefined ? value : [earlier, value].flat();
      }
      resolve(params);
    });
  });
}

/** readTokenForm as express middleware, into `req.body` (the v1 token endpoint). */
export function tokenFormBody(): RequestHandler {
  return (req, _res, next) => {
    readTokenForm(req).then((params) => {
      req.body = params;
      next();
    }, next);
  };
}

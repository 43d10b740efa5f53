import type { RequestHandler } from "express";
import { RequestError } from "../errors/error-answer.js";

/** A form's parameters; a name sent more than once holds all its values (token-endpoint.ts refuses it). */
type FormParams = Record<string, string | string[] | undefined>;

const BODY_LIMIT = 256 * 1024;
const FORM_TYPE = "application/x-www-form-urlencoded";
const FORM = /^application\/x-www-form-urlencoded[ \t]*(;[ \t]*charset=("utf-8"|utf-8)[ \t]*)?$/i;

/**
 * The token endpoint's body: a UTF-8 form (what every token client sends), read into `req.body` with
 * URLSearchParams. express.urlencoded (body-parser, qs, iconv) costs about a tenth of the endpoint's
 * CPU per token (bench/token-endpoint.mjs); this is the part of it a token request needs. Another
 * content type leaves the body unread (params {}: the grant then names what is missing); a body over
 * 256 kB is 413, a compressed body or another charset 415.
 */
export function tokenFormBody(): RequestHandler {
  return (req, _res, next) => {
    const params: FormParams = Object.create(null);
    req.body = params;
    const contentType = req.headers["content-type"];
    if (!contentType?.toLowerCase().startsWith(FORM_TYPE)) {
      next();
      return;
    }
    const encoding = req.headers["content-encoding"];
    if (!FORM.test(contentType) || (encoding !== undefined && encoding.toLowerCase() !== "identity")) {
      next(new RequestError(415, "The token endpoint takes an uncompressed UTF-8 form body."));
      return;
    }
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
        next(new RequestError(413, "The request body is larger than 256 kB."));
        return;
      }
      const body = chunks.length === 1 ? chunks[0]!.toString() : Buffer.concat(chunks).toString();
      for (const [name, value] of new URLSearchParams(body)) {
        const earlier = params[name];
        params[name] = earlier === undefined ? value : [earlier, value].flat();
      }
      next();
    });
  };
}

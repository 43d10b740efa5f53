import type { IncomingMessage, ServerResponse } from "node:http";
import { readBody, sendJson } from "../http-server.js";
import { authenticateClient, presentedMethod } from "./client-authentication.js";
import { type AsContext, OAuthFailure, sendFailure } from "./context.js";
import { GRANTS, issueTokens } from "./grants.js";
import type { TokenRecord } from "./options.js";

/** The token endpoint (RFC 6749 §3.2, §5): form-encoded POST, one client authentication, one grant. */
export async function tokenEndpoint(
  context: AsContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const form = new URLSearchParams(await readBody(req));
  const params = Object.fromEntries(form);
  const record: TokenRecord = { params, grant_type: params.grant_type ?? "", client_auth: "none", status: 0 };
  context.records.tokens.push(record);
  try {
    if (!(req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")) {
      throw new OAuthFailure(
        "invalid_request",
        "the token request is application/x-www-form-urlencoded (RFC 6749 §3.2)",
      );
    }
    const repeated = [...new Set(form.keys())].find(
      (name) => name !== "resource" && form.getAll(name).length > 1,
    );
    if (repeated) throw new OAuthFailure("invalid_request", `${repeated} is repeated (RFC 6749 §3.2)`);
    record.client_auth = presentedMethod(params, req.headers.authorization);
    const auth = await authenticateClient(context, params, req.headers.authorization);
    record.client_id = auth.client?.client_id;
    const grantHandler = GRANTS[params.grant_type ?? ""];
    if (!grantHandler)
      throw new OAuthFailure(
        "unsupported_grant_type",
        `grant_type ${params.grant_type ?? "(none)"} is not supported`,
      );
    const grant = await grantHandler(context, form, auth);
    const { body, claims } = await issueTokens(context, grant);
    record.status = 200;
    record.issued = claims;
    record.refresh_token_issued = body.refresh_token !== undefined;
    sendJson(res, 200, body, { "cache-control": "no-store", pragma: "no-cache" });
  } catch (error) {
    if (!(error instanceof OAuthFailure)) throw error;
    record.status = error.status;
    record.error = error.error;
    sendFailure(res, error);
  }
}

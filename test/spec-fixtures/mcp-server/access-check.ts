import type { IncomingMessage } from "node:http";
import { bearerToken, challenge, tokenScopes, validateAccessToken } from "./bearer.js";
import type { McpRequestRecord } from "./options.js";
import type { RpcView } from "./request-headers.js";
import type { CallerAuth, ServerState } from "./state.js";
import { TOOL } from "./tool-catalogue.js";

export type AccessDecision =
  | { allow: true; auth?: CallerAuth }
  | { allow: false; status: 400 | 401 | 403; wwwAuthenticate: string; refusal: McpRequestRecord["refusal"] };

/** Methods a lazy server lets through without a token. Everything else on the MCP endpoint needs one. */
const LAZY_GUARDED = new Set(["tools/list", "tools/call"]);

/**
 * Authorization of one HTTP request to the MCP endpoint (authorization/index.mdx "Access Token Usage",
 * "Error Handling", "Scope Challenge Handling"): 401 with the PRM location and `scope` when the token is
 * missing where one is needed, 401 invalid_token for a token that fails validation, 403
 * insufficient_scope naming the scopes the operation needs.
 */
export async function checkAccess(
  state: ServerState,
  req: IncomingMessage,
  view: RpcView,
  record: McpRequestRecord,
): Promise<AccessDecision> {
  if (!state.options.authorizationServers) return { allow: true };
  const required = state.options.requiredScope ?? "mcp:read";
  const resourceMetadata = state.layout.resourceMetadataUrl;
  const scopeHint = (state.options.challengeScope ?? true) ? required : undefined;
  if (new URL(req.url ?? "/", state.origin).searchParams.has("access_token")) {
    const description = "access tokens MUST NOT be sent in the query string";
    return refuse(
      400,
      "token_in_query",
      challenge({ error: "invalid_request", description, resourceMetadata }),
    );
  }
  const authorization = req.headers.authorization;
  const token = bearerToken(authorization);
  const needsToken =
    (state.options.auth ?? "every-request") === "every-request" || LAZY_GUARDED.has(view.method ?? "");
  if (token === undefined) {
    if (authorization !== undefined) {
      record.token = "invalid";
      record.tokenError = "malformed Authorization header";
      return refuse(
        400,
        "unauthorized",
        challenge({
          error: "invalid_request",
          description: "malformed Authorization header",
          resourceMetadata,
        }),
      );
    }
    return needsToken
      ? refuse(401, "unauthorized", challenge({ scope: scopeHint, resourceMetadata }))
      : { allow: true };
  }
  const audiences = [state.layout.resource, state.url];
  const verdict = await validateAccessToken(
    token,
    state.authorizationServers,
    audiences,
    state.skip,
    state.now(),
  );
  if (!verdict.ok) {
    record.token = "invalid";
    record.tokenError = verdict.reason;
    return refuse(
      401,
      "unauthorized",
      challenge({ error: "invalid_token", description: verdict.reason, scope: scopeHint, resourceMetadata }),
    );
  }
  record.token = "valid";
  record.tokenClaims = verdict.claims;
  const scopes = tokenScopes(verdict.claims);
  const auth: CallerAuth = {
    token,
    clientId: String(verdict.claims.client_id ?? verdict.claims.azp ?? ""),
    scopes,
    expiresAt: verdict.claims.exp,
    extra: { sub: String(verdict.claims.sub ?? "") },
  };
  if (!needsToken) return { allow: true, auth };
  const insufficient = (scope: string, description: string) =>
    refuse(
      403,
      "insufficient_scope",
      challenge({ error: "insufficient_scope", scope, resourceMetadata, description }),
    );
  if (!scopes.includes(required)) return insufficient(required, `this server needs ${required}`);
  if (view.method === "tools/call" && view.name === TOOL.stepUp && state.options.stepUp) {
    const stepUp = state.options.stepUp.scope ?? "mcp:write";
    if (state.options.stepUp.refuseAlways || !scopes.includes(stepUp)) {
      const scope = state.options.stepUp.challenge === "all-required" ? `${required} ${stepUp}` : stepUp;
      return insufficient(scope, `${TOOL.stepUp} needs ${stepUp}`);
    }
  }
  return { allow: true, auth };
}

function refuse(
  status: 400 | 401 | 403,
  refusal: McpRequestRecord["refusal"],
  wwwAuthenticate: string,
): AccessDecision {
  return { allow: false, status, wwwAuthenticate, refusal };
}

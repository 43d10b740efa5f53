import { lookupClient } from "../clients/client-auth.js";
import type { TenantContext } from "../context.js";
import type { ClientApp } from "../directory/lookups.js";
import { checkResourceParameter, resolveScopes } from "../directory/scopes.js";
import { AadstsError } from "../errors/protocol-error.js";
import { matchRedirectUri, type RedirectPlatform } from "./redirect-uri.js";
import type { AuthorizeRequest, AuthorizeTarget, Prompt, ResponseMode } from "./short-lived-records.js";

type Params = Record<string, string | undefined>;

const RESPONSE_MODES = new Set<string>(["query", "fragment", "form_post"]);
const PROMPTS = new Set<string>(["none", "login", "consent", "select_account"]);

/**
 * The first half of /authorize's checks: the client and its redirect URI. Until both are known to be
 * right, errors are shown on a page; Entra never redirects to an unverified URI.
 */
export function validateTarget(
  ctx: TenantContext,
  params: Params,
): { client: ClientApp; target: AuthorizeTarget; platform: RedirectPlatform } {
  const clientId = params.client_id?.trim();
  if (!clientId) throw new AadstsError(900144, { parameter: "client_id" });
  const client = lookupClient(ctx, clientId);
  const match = matchRedirectUri(client, params.redirect_uri);
  if (!match) {
    if (!params.redirect_uri) throw new AadstsError(900144, { parameter: "redirect_uri" });
    throw new AadstsError(50011, { redirectUri: params.redirect_uri, appId: client.appId });
  }
  const mode = params.response_mode ?? "query";
  if (!RESPONSE_MODES.has(mode)) {
    throw new AadstsError(9002313, { detail: `response_mode '${mode}' is not supported.` });
  }
  return {
    client,
    platform: match.platform,
    target: { redirectUri: match.uri, responseMode: mode as ResponseMode, state: params.state },
  };
}

/** The second half: everything else. Errors from here are redirected back to the client. */
export function validateAuthorizeRequest(
  ctx: TenantContext,
  params: Params,
  validated: ReturnType<typeof validateTarget>,
): AuthorizeRequest {
  const { client, target, platform } = validated;
  const responseType = params.response_type?.trim();
  if (!responseType) throw new AadstsError(900144, { parameter: "response_type" });
  if (responseType !== "code") throw new AadstsError(700054, { responseType });
  const scopes = resolveScopes(ctx.store.state, params.scope, client.displayName);
  checkResourceParameter(scopes, params.resource);
  const challenge = params.code_challenge || undefined;
  const method = params.code_challenge_method || (challenge ? "plain" : undefined);
  if (method !== undefined && method !== "S256" && method !== "plain") {
    throw new AadstsError(9002313, { detail: `code_challenge_method '${method}' is not supported.` });
  }
  if (method && !challenge) throw new AadstsError(900144, { parameter: "code_challenge" });
  const prompt = params.prompt && PROMPTS.has(params.prompt) ? (params.prompt as Prompt) : undefined;
  return {
    ...target,
    clientId: client.appId,
    platform,
    scope: params.scope ?? "",
    nonce: params.nonce || undefined,
    codeChallenge: challenge,
    codeChallengeMethod: method,
    prompt,
    loginHint: params.login_hint || undefined,
    clientInfo: params.client_info === "1",
  };
}

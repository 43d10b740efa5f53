import type { Response } from "express";
import { answerClient, failSignIn } from "./client-answers.js";
import { randomToken, sha256 } from "./crypto-helpers.js";
import { OAuthError } from "./oauth-error.js";
import type { OAuthProxy } from "./proxy-context.js";
import type { ClientRequest, SignedInUser } from "./proxy-store.js";

/** The client's part of a sign-in record, without what the proxy keeps for itself. */
export function clientRequestOf(record: ClientRequest): ClientRequest {
  const { clientId, redirectUri, clientState, codeChallenge } = record;
  return { clientId, redirectUri, clientState, codeChallenge };
}

/**
 * The end of a sign-in the user has allowed: the proxy's own one-time code (60 seconds, bound to
 * the client, its redirect URI and its PKCE challenge) goes to the client's redirect URI.
 */
export async function finishSignIn(
  proxy: OAuthProxy,
  res: Response,
  request: ClientRequest,
  user: SignedInUser,
  sealedTokens: string,
  status: 302 | 303,
): Promise<void> {
  const code = randomToken();
  const added = await proxy.state.add("code", sha256(code), {
    ...clientRequestOf(request),
    user,
    tokens: sealedTokens,
  });
  if (!added) {
    const busy = new OAuthError("temporarily_unavailable", "The server is too busy: try again.", 503);
    return failSignIn(proxy, res, request, busy, status);
  }
  proxy.log.info("sign-in completed", { client: request.clientId, user: user.id });
  answerClient(proxy, res, request, { code }, status);
}

import { checkTokenAccess } from "../clients/client-access.js";
import { authenticateClient } from "../clients/client-auth.js";
import { presentedCredentials } from "../clients/client-credentials-input.js";
import { checkResourceParameter, resolveScopes } from "../directory/scopes.js";
import { AadstsError } from "../errors/protocol-error.js";
import { checkConsentPropagated } from "../server/propagation.js";
import { consentStatus } from "../sign-in/consent-status.js";
import { issueDelegated } from "../tokens/token-response.js";
import { verifyUserAssertion } from "../tokens/user-assertion.js";
import type { GrantHandler } from "./grant.js";

/**
 * grant_type=jwt-bearer with requested_token_use=on_behalf_of: a confidential middle tier exchanges
 * the user's token for it for a token to a downstream API, as the same user. The middle tier needs
 * consent for the downstream scopes (AADSTS65001 otherwise — it cannot show a consent page itself).
 */
export const onBehalfOfGrant: GrantHandler = async (ctx, request) => {
  const { params } = request;
  if (request.tenant.kind === "multi") throw new AadstsError(50059);
  if (!params.requested_token_use) throw new AadstsError(900144, { parameter: "requested_token_use" });
  if (params.requested_token_use !== "on_behalf_of") {
    throw new AadstsError(9002313, { detail: "requested_token_use must be 'on_behalf_of'." });
  }
  if (!params.assertion) throw new AadstsError(900144, { parameter: "assertion" });
  const { client, level } = await authenticateClient(
    ctx,
    presentedCredentials(params, request.authorization),
    { tokenEndpoints: request.tokenEndpoints, requireCredential: true },
  );
  const scopes = resolveScopes(ctx.store.state, params.scope, client.displayName);
  checkResourceParameter(scopes, params.resource);
  const user = await verifyUserAssertion(ctx, params.assertion, client);
  checkTokenAccess(ctx.store.state, client, scopes.resource, { user });
  const consent = consentStatus(ctx.store.state, client, scopes, user.id);
  if (consent.missing.length > 0 || consent.granted.length === 0) {
    throw new AadstsError(65001, { appId: client.appId, appName: client.displayName });
  }
  checkConsentPropagated(ctx, client, scopes.resource.servicePrincipal.id);
  return issueDelegated(ctx, {
    client,
    clientAuth: level,
    request: scopes,
    user,
    scopes: consent.granted,
    authTime: ctx.clock.nowSeconds(),
    clientInfo: params.client_info === "1",
    refresh: scopes.oidc.includes("offline_access"),
  });
};

import { checkTokenAccess } from "../clients/client-access.js";
import { authenticateClient } from "../clients/client-auth.js";
import { presentedCredentials } from "../clients/client-credentials-input.js";
import { checkResourceParameter, resolveScopes } from "../directory/scopes.js";
import { AadstsError } from "../errors/protocol-error.js";
import { issueAppOnly } from "../tokens/token-response.js";
import type { GrantHandler } from "./grant.js";

/** grant_type=client_credentials: app-only tokens for `{resource}/.default`. */
export const clientCredentialsGrant: GrantHandler = async (ctx, request) => {
  if (request.tenant.kind === "multi") throw new AadstsError(50059);
  const { client, level } = await authenticateClient(
    ctx,
    presentedCredentials(request.params, request.authorization),
    { tokenEndpoints: request.tokenEndpoints, requireCredential: true },
  );
  const scopes = resolveScopes(ctx.store.state, request.params.scope, client.displayName);
  if (!scopes.isDefault) throw new AadstsError(1002012, { scope: request.params.scope });
  checkResourceParameter(scopes, request.params.resource);
  if (!client.servicePrincipal) {
    throw new AadstsError(7000229, { appId: client.appId, tenant: ctx.store.state.tenant.id });
  }
  checkTokenAccess(ctx.store.state, client, scopes.resource, {
    app: client.servicePrincipal,
    client,
  });
  return issueAppOnly(ctx, {
    client,
    clientAuth: level,
    clientPrincipal: client.servicePrincipal,
    request: scopes,
  });
};

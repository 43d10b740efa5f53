import { randomUUID, timingSafeEqual } from "node:crypto";
import type { Response, Router } from "express";
import {
  identityHeader,
  isTokenExchangeResource,
  MANAGED_IDENTITY_ENDPOINT_PATH,
  managedIdentityToken,
} from "../clients/managed-identity-token.js";
import type { TenantContext } from "../context.js";
import { identityFromQuery } from "../directory/managed-identities.js";

/**
 * GET /msi/token: the managed identity endpoint an Azure host (App Service, Container Apps) gives its
 * processes through IDENTITY_ENDPOINT and IDENTITY_HEADER, as MSAL's and @azure/identity's App Service
 * source call it: `api-version=2019-08-01`, `resource`, the user-assigned identity as `client_id`,
 * `object_id` (or `principal_id`), the `X-IDENTITY-HEADER` header. Answers
 * `{ access_token, expires_on, resource, token_type, client_id }`; refusals are
 * `{ statusCode, message }` with 400/401 (never a status MSAL retries).
 */
export function managedIdentityRoutes(router: Router, ctx: TenantContext, adminToken: string): void {
  const expected = Buffer.from(identityHeader(adminToken));
  router.get(MANAGED_IDENTITY_ENDPOINT_PATH, async (req, res) => {
    res.set("Cache-Control", "no-store");
    const presented = Buffer.from(String(req.headers["x-identity-header"] ?? ""));
    if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
      refuse(res, 401, "The X-IDENTITY-HEADER header is missing or does not match IDENTITY_HEADER.");
      return;
    }
    const query = req.query as Record<string, string | undefined>;
    if (query["api-version"] !== "2019-08-01") {
      refuse(res, 400, "The api-version parameter must be 2019-08-01.");
      return;
    }
    const resource = query.resource ?? "";
    if (!isTokenExchangeResource(resource)) {
      refuse(
        res,
        400,
        `The dev tenant's managed identity endpoint issues tokens for api://AzureADTokenExchange only, not '${resource}'.`,
      );
      return;
    }
    const id = query.client_id ?? query.object_id ?? query.principal_id;
    if (!id) {
      refuse(
        res,
        400,
        "No system assigned managed identity is enabled on this dev tenant host: pass a user-assigned identity's client_id or object_id.",
      );
      return;
    }
    const identity = identityFromQuery(ctx.store.state, id);
    if (!identity) {
      refuse(
        res,
        400,
        `No User Assigned or Delegated Managed Identity found for specified ClientId/ResourceId/PrincipalId '${id}'.`,
      );
      return;
    }
    const { token, expiresOn } = await managedIdentityToken(ctx, identity);
    res.json({
      access_token: token,
      expires_on: String(expiresOn),
      resource,
      token_type: "Bearer",
      client_id: identity.appId,
    });
  });
}

function refuse(res: Response, statusCode: 400 | 401, message: string): void {
  res.status(statusCode).json({ statusCode, message, correlationId: randomUUID() });
}

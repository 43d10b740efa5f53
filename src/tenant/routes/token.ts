import express, { type Router } from "express";
import type { TenantContext } from "../context.js";
import { authorizationCodeGrant } from "../grants/authorization-code.js";
import { clientCredentialsGrant } from "../grants/client-credentials.js";
import { deviceCodeGrant } from "../grants/device-code.js";
import type { GrantHandler } from "../grants/grant.js";
import { onBehalfOfGrant } from "../grants/on-behalf-of.js";
import { refreshTokenGrant } from "../grants/refresh-token.js";
import { AadstsError } from "../protocol-error.js";
import { resolveTenantSegment } from "../tenant-segment.js";

const grants: Record<string, GrantHandler> = {
  client_credentials: clientCredentialsGrant,
  "urn:ietf:params:oauth:grant-type:jwt-bearer": onBehalfOfGrant,
  authorization_code: authorizationCodeGrant,
  refresh_token: refreshTokenGrant,
  device_code: deviceCodeGrant,
  "urn:ietf:params:oauth:grant-type:device_code": deviceCodeGrant,
};

/** POST /{tenant}/oauth2/v2.0/token: dispatches on grant_type. */
export function tokenRoutes(router: Router, ctx: TenantContext): void {
  router.post(
    "/:tenant/oauth2/v2.0/token",
    express.urlencoded({ extended: false, limit: "256kb" }),
    async (req, res) => {
      const tenant = resolveTenantSegment(ctx.store.state, req.params.tenant);
      const params = (req.body ?? {}) as Record<string, string | undefined>;
      const grantType = params.grant_type;
      if (!grantType) throw new AadstsError(900144, { parameter: "grant_type" });
      const handler = grants[grantType];
      if (!handler) throw new AadstsError(70003, { grantType });
      const segment = req.params.tenant;
      const tokenEndpoints = [
        `${ctx.origin}/${segment}/oauth2/v2.0/token`,
        `${ctx.origin}/${ctx.store.state.tenant.id}/oauth2/v2.0/token`,
        `${ctx.origin}/${ctx.store.state.tenant.id}/oauth2/token`,
      ];
      const response = await handler(ctx, {
        params,
        authorization: req.headers.authorization,
        tenant,
        tokenEndpoints,
      });
      res.set("Cache-Control", "no-store").set("Pragma", "no-cache").json(response);
    },
  );
}

import express, { type NextFunction, type Request, type Response, type Router } from "express";
import type { TenantContext } from "../context.js";
import { flatParams } from "./authorize.js";
import { TOKEN_RESPONSE_HEADERS, tokenEndpoint } from "./token-endpoint.js";
import { tokenFormBody } from "./token-form-body.js";

// https://learn.microsoft.com/en-us/entra/identity-platform/scopes-oidc#the-default-scope
/**
 * The v1 endpoints the v1 discovery document advertises (/oauth2/authorize, /oauth2/token,
 * /oauth2/devicecode; /oauth2/logout is in logout.ts), answered by the v2 ones: v1's `resource`
 * parameter asks for what `{resource}/.default` asks of v2 (the app's static permissions), and v1
 * always issues refresh tokens. v1 token responses keep v1's shape: numbers as strings, with
 * `expires_on`, `not_before` and `resource`. v1-only details beyond that are not reproduced
 * (docs/dev-tenant.md).
 */
export function v1EndpointRoutes(router: Router, ctx: TenantContext): void {
  const form = express.urlencoded({ extended: false, limit: "256kb" });
  router.get("/:tenant/oauth2/authorize", (req, _res, next) => {
    const params = v2Params(flatParams(req.query), true);
    req.url = `/${req.params.tenant}/oauth2/v2.0/authorize?${new URLSearchParams(defined(params))}`;
    next();
  });
  router.post("/:tenant/oauth2/authorize", form, (req, _res, next) => asV2(req, next, "authorize"));
  router.post("/:tenant/oauth2/devicecode", form, (req, _res, next) => asV2(req, next, "devicecode"));
  router.post("/:tenant/oauth2/token", tokenFormBody(), async (req: Request, res: Response) => {
    const v1 = flatParams(req.body);
    const params = v2Params(v1, v1.grant_type !== "client_credentials");
    const tenant = String(req.params.tenant);
    const response = await tokenEndpoint(ctx, tenant, params, req.headers.authorization);
    const now = ctx.clock.nowSeconds();
    const { scope: _scope, ...tokens } = response;
    res.set(TOKEN_RESPONSE_HEADERS).json({
      ...tokens,
      expires_in: String(response.expires_in),
      ext_expires_in: String(response.ext_expires_in),
      expires_on: String(now + response.expires_in),
      not_before: String(now),
      ...(v1.resource ? { resource: v1.resource } : {}),
    });
  });
}

/** Continues with the v2 route of the same name, its body rewritten from v1's parameters. */
function asV2(req: Request, next: NextFunction, endpoint: "authorize" | "devicecode"): void {
  req.body = v2Params(flatParams(req.body), true);
  req.url = `/${req.params.tenant}/oauth2/v2.0/${endpoint}`;
  next();
}

/** v1 parameters as v2 reads them: `resource` becomes `{resource}/.default` (plus offline_access). */
function v2Params(
  v1: Record<string, string | undefined>,
  refresh: boolean,
): Record<string, string | undefined> {
  const { resource, ...params } = v1;
  const oidc = (v1.scope ?? "").split(/\s+/).filter((scope) => scope === "openid" || scope === "profile");
  const scopes = [resource ? `${resource.replace(/\/$/, "")}/.default` : undefined, ...oidc];
  if (refresh) scopes.push("offline_access");
  const scope = scopes.filter(Boolean).join(" ");
  return { ...params, ...(scope ? { scope } : {}) };
}

function defined(params: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

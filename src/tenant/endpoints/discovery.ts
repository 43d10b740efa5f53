import type { RequestHandler, Router } from "express";
import type { TenantContext } from "../context.js";
import { tenantUrls } from "../server/urls.js";
import { resolveTenantSegment } from "./tenant-segment.js";

/** OpenID discovery (v2 and v1) and the signing keys, like login.microsoftonline.com. */
export function discoveryRoutes(router: Router, ctx: TenantContext): void {
  router.get("/:tenant/v2.0/.well-known/openid-configuration", (req, res) => {
    res.json(openIdConfiguration(ctx, req.params.tenant, "v2"));
  });
  router.get("/:tenant/.well-known/openid-configuration", (req, res) => {
    res.json(openIdConfiguration(ctx, req.params.tenant, "v1"));
  });
  const keys: RequestHandler<{ tenant: string }> = (req, res) => {
    resolveTenantSegment(ctx.store.state, req.params.tenant);
    res.set("Cache-Control", "max-age=86400, private").json(ctx.keys.jwks(ctx.clock.now()));
  };
  router.get("/:tenant/discovery/v2.0/keys", keys);
  router.get("/:tenant/discovery/keys", keys);
}

export function openIdConfiguration(ctx: TenantContext, rawSegment: string, version: "v1" | "v2") {
  const state = ctx.store.state;
  const resolved = resolveTenantSegment(state, rawSegment);
  const segment = resolved.kind === "tenant" ? state.tenant.id : resolved.segment;
  const issuerTenant = resolved.kind === "tenant" ? state.tenant.id : "{tenantid}";
  const urls = tenantUrls(ctx.origin, segment, issuerTenant);
  const host = new URL(ctx.origin).host;
  const common = {
    token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
    response_modes_supported: ["query", "fragment", "form_post"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
    request_uri_parameter_supported: false,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    tenant_region_scope: "NA",
    cloud_instance_name: host,
    cloud_graph_host_name: host,
    msgraph_host: host,
    rbac_url: "https://pas.windows.net",
  };
  if (version === "v1") {
    return {
      ...common,
      token_endpoint: `${urls.authority}/oauth2/token`,
      jwks_uri: `${urls.authority}/discovery/keys`,
      issuer: urls.v1Issuer,
      authorization_endpoint: `${urls.authority}/oauth2/authorize`,
      device_authorization_endpoint: `${urls.authority}/oauth2/devicecode`,
      end_session_endpoint: `${urls.authority}/oauth2/logout`,
      userinfo_endpoint: urls.userinfo,
      claims_supported: [
        "sub",
        "iss",
        "aud",
        "exp",
        "iat",
        "auth_time",
        "acr",
        "amr",
        "nonce",
        "email",
        "given_name",
        "family_name",
        "nickname",
      ],
    };
  }
  return {
    ...common,
    token_endpoint: urls.token,
    jwks_uri: urls.jwks,
    issuer: urls.issuer,
    authorization_endpoint: urls.authorize,
    device_authorization_endpoint: urls.deviceCode,
    end_session_endpoint: urls.logout,
    userinfo_endpoint: urls.userinfo,
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    claims_supported: [
      "sub",
      "iss",
      "cloud_instance_name",
      "cloud_instance_host_name",
      "cloud_graph_host_name",
      "msgraph_host",
      "aud",
      "exp",
      "iat",
      "auth_time",
      "acr",
      "nonce",
      "preferred_username",
      "name",
      "tid",
      "ver",
      "at_hash",
      "c_hash",
      "email",
    ],
  };
}

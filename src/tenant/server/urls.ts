/** Every URL the dev tenant publishes, derived from its origin and a tenant path segment. */
export interface TenantUrls {
  authority: string;
  issuer: string;
  v1Issuer: string;
  authorize: string;
  token: string;
  deviceCode: string;
  jwks: string;
  logout: string;
  userinfo: string;
  openidConfiguration: string;
  deviceLogin: string;
  graph: string;
}

/**
 * `segment` is what appears in endpoint paths (the tenant id, or `common`/`organizations`);
 * `issuerTenant` is the tenant id, or Entra's literal `{tenantid}` template for multi-tenant segments.
 */
export function tenantUrls(origin: string, segment: string, issuerTenant = segment): TenantUrls {
  const authority = `${origin}/${segment}`;
  return {
    authority,
    issuer: `${origin}/${issuerTenant}/v2.0`,
    v1Issuer: v1Issuer(issuerTenant),
    authorize: `${authority}/oauth2/v2.0/authorize`,
    token: `${authority}/oauth2/v2.0/token`,
    deviceCode: `${authority}/oauth2/v2.0/devicecode`,
    jwks: `${authority}/discovery/v2.0/keys`,
    logout: `${authority}/oauth2/v2.0/logout`,
    userinfo: `${origin}/oidc/userinfo`,
    openidConfiguration: `${authority}/v2.0/.well-known/openid-configuration`,
    deviceLogin: `${origin}/devicelogin`,
    graph: `${origin}/v1.0`,
  };
}

/** Entra's v1 issuer is the same string for every cloud host; the dev tenant keeps it. */
export function v1Issuer(tenantId: string): string {
  return `https://sts.windows.net/${tenantId}/`;
}

import type { FetchLike } from "../entra/trust.js";
import { isGuid } from "../entra/well-known.js";
import { isLoopbackHost, jsonBody } from "./http.js";

/**
 * Which kind of authorization server the flow talks to. Entra and the dev tenant get Entra's rules
 * (fully qualified scopes, no PKCE advertisement, MSAL for client credentials and device code).
 */
export type AuthorizationServerKind = "entra" | "dev-tenant" | "oauth";

export interface AuthorizationServerInfo {
  kind: AuthorizationServerKind;
  issuer: string;
  /** The msal authority (origin + tenant segment) for Entra and the dev tenant. */
  authority?: string;
}

/** Entra's sign-in hosts in the public and national clouds. */
const ENTRA_HOSTS = new Set([
  "login.microsoftonline.com",
  "login.microsoftonline.us",
  "login.partner.microsoftonline.cn",
  "login.chinacloudapi.cn",
  "login.windows.net",
  "sts.windows.net",
]);

const V2_ISSUER_PATH = /^\/([^/]+)\/v2\.0\/?$/;

export function isEntraIssuer(issuer: string): boolean {
  return ENTRA_HOSTS.has(new URL(issuer).hostname.toLowerCase());
}

export function isEntraLike(kind: AuthorizationServerKind): boolean {
  return kind === "entra" || kind === "dev-tenant";
}

/**
 * Entra by its host; the dev tenant by shape (https on loopback, `/<tenant>/v2.0`) and by asking it:
 * its `/health` names the tenant of the issuer.
 */
export async function classifyAuthorizationServer(
  issuer: string,
  fetchImpl: FetchLike,
): Promise<AuthorizationServerInfo> {
  const url = new URL(issuer);
  const tenant = V2_ISSUER_PATH.exec(url.pathname)?.[1];
  if (isEntraIssuer(issuer)) {
    const segment = url.pathname.split("/").filter(Boolean)[0] ?? "common";
    return { kind: "entra", issuer, authority: `${url.origin}/${segment}` };
  }
  if (url.protocol === "https:" && isLoopbackHost(url.hostname) && tenant) {
    const health = await fetchImpl(`${url.origin}/health`, { signal: AbortSignal.timeout(5000) })
      .then((response) => (response.ok ? jsonBody(response) : undefined))
      .catch(() => undefined);
    const tenantId = (health as { status?: string; tenantId?: string } | undefined)?.tenantId;
    if (tenantId && (tenant === tenantId || !isGuid(tenant))) {
      return { kind: "dev-tenant", issuer, authority: `${url.origin}/${tenant}` };
    }
  }
  return { kind: "oauth", issuer };
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * Why a redirect URI cannot be registered, or undefined when it can: an absolute https URI, or
 * http on a loopback host (native clients listening on this machine, RFC 8252 §7.3); no fragment,
 * no user info. Custom schemes are refused: any app can claim them.
 */
export function redirectUriProblem(value: unknown): string | undefined {
  if (typeof value !== "string" || value.length === 0) return "must be a non-empty string";
  if (value.length > 2000) return "must be at most 2000 characters";
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "must be an absolute URI";
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname))) {
    return "must use https, or http on localhost, 127.0.0.1 or [::1]";
  }
  if (value.includes("#")) return "must not contain a fragment";
  if (url.username || url.password) return "must not contain user info";
  return undefined;
}

/** True for a redirect URI on a loopback host (RFC 8252 §7.3): an app on the user's own machine. */
export function isLoopbackRedirect(redirectUri: string): boolean {
  try {
    return LOOPBACK_HOSTS.has(new URL(redirectUri).hostname);
  } catch {
    return false;
  }
}

/**
 * Adds the authorization response parameters to the client's redirect URI (keeping its own query)
 * and returns the URL to send the browser to.
 */
export function clientRedirect(redirectUri: string, params: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) url.searchParams.set(name, value);
  }
  return url.href;
}

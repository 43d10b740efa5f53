import type { ClientApp } from "../directory/lookups.js";

/** The app registration platform a redirect URI is registered under. */
export type RedirectPlatform = "web" | "spa" | "publicClient";

const PLATFORMS: RedirectPlatform[] = ["web", "spa", "publicClient"];
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);
/** Schemes a browser would run or read locally instead of navigating to: never a redirect target. */
const UNSAFE_SCHEMES = new Set(["javascript:", "data:", "vbscript:", "file:", "blob:"]);

function parse(uri: string): URL | undefined {
  try {
    return new URL(uri);
  } catch {
    return undefined;
  }
}

function isNavigable(uri: string): boolean {
  const url = parse(uri);
  return url !== undefined && !UNSAFE_SCHEMES.has(url.protocol);
}

/** Entra ignores the port of loopback redirect URIs (native apps listen on a random port). */
function isLoopback(url: URL): boolean {
  return url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname);
}

function matches(registered: string, requested: string): boolean {
  if (registered === requested) return true;
  const want = parse(requested);
  const have = parse(registered);
  if (!want || !have || !isLoopback(want) || !isLoopback(have)) return false;
  return (
    want.hostname === have.hostname &&
    want.pathname === have.pathname &&
    want.search === have.search &&
    want.hash === "" &&
    want.username === "" &&
    want.password === ""
  );
}

/**
 * Finds the registered redirect URI a request names, as Entra does: exactly, except that loopback
 * ports are ignored. Without a redirect URI the app's only registered one is used. Undefined means
 * AADSTS50011 (shown as a page, never redirected to).
 */
export function matchRedirectUri(
  client: ClientApp,
  requested: string | undefined,
): { uri: string; platform: RedirectPlatform } | undefined {
  if (requested === undefined || requested === "") {
    const all = PLATFORMS.flatMap((platform) =>
      client.redirectUris[platform].map((uri) => ({ uri, platform })),
    );
    const only = all.length === 1 ? all[0] : undefined;
    return only && isNavigable(only.uri) ? only : undefined;
  }
  if (!isNavigable(requested)) return undefined;
  for (const platform of PLATFORMS) {
    if (client.redirectUris[platform].some((registered) => matches(registered, requested))) {
      return { uri: requested, platform };
    }
  }
  return undefined;
}

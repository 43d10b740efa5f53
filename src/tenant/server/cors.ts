import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * CORS on the endpoints a browser app (a SPA with MSAL.js) calls, as Entra answers them: the token
 * endpoint, the OpenID configuration and the signing keys allow any origin, and preflights are
 * answered. Everything else (sign-in pages, Graph, the admin API) sends no CORS headers.
 * (learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow#redirect-uris-for-single-page-apps-spas)
 */
const BROWSER_ENDPOINTS: { path: RegExp; methods: string }[] = [
  { path: /^\/[^/_][^/]*\/oauth2(\/v2\.0)?\/token\/?$/i, methods: "POST, OPTIONS" },
  { path: /^\/[^/_][^/]*(\/v2\.0)?\/\.well-known\/openid-configuration\/?$/i, methods: "GET, OPTIONS" },
  { path: /^\/[^/_][^/]*\/discovery(\/v2\.0)?\/keys\/?$/i, methods: "GET, OPTIONS" },
];

/** The request handler to run first: sets the CORS headers, and answers a preflight itself (true). */
export function corsHook(): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    if (req.headers.origin === undefined) return false;
    const url = req.url ?? "";
    const path = url.split("?", 1)[0]!;
    const endpoint = BROWSER_ENDPOINTS.find((candidate) => candidate.path.test(path));
    if (!endpoint) return false;
    res.setHeader("Access-Control-Allow-Origin", "*");
    if (req.method !== "OPTIONS") return false;
    res.writeHead(200, {
      "Access-Control-Allow-Methods": endpoint.methods,
      "Access-Control-Allow-Headers": req.headers["access-control-request-headers"] ?? "content-type",
      "Access-Control-Max-Age": "86400",
      "Content-Length": "0",
    });
    res.end();
    return true;
  };
}

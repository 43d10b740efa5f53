import type { FetchLike } from "../../src/entra/trust.js";
import { proxyConsentForm, withCookies } from "../../src/test-flow/sign-in/proxy-consent.js";

/**
 * A stand-in for the system browser (test-flow's `openUrl`) and the person at it: it follows the
 * redirects of the authorization URL it is given — through authorization servers that sign in without
 * a page (the dev tenant in auto-approve mode, the spec fixture) — keeping cookies, until one answers
 * without a redirect (test-flow's loopback receiver). On an mcp-entra proxy's consent page its person
 * clicks "Allow". `visited` holds every URL it requested; `tamper` forges the `state` on the way back
 * to the callback.
 */
export function fakeBrowser(options: { fetch?: FetchLike; tamper?: boolean } = {}) {
  const fetchImpl = withCookies(options.fetch ?? globalThis.fetch.bind(globalThis));
  const opened: string[] = [];
  const visited: string[] = [];
  const openUrl = async (url: string) => {
    opened.push(url);
    let next = url;
    let init: RequestInit = {};
    for (let hop = 0; hop < 10; hop++) {
      visited.push(next);
      const response = await fetchImpl(next, { ...init, redirect: "manual" });
      init = {};
      const location = response.headers.get("location");
      if (!location) {
        const form = response.ok ? proxyConsentForm(await response.text()) : undefined;
        if (!form) return;
        next = new URL(form.action, next).href;
        init = {
          method: "POST",
          headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: new URL(next).origin },
          body: new URLSearchParams({ ...form.fields, decision: "allow" }),
        };
        continue;
      }
      await response.body?.cancel();
      next = new URL(location, next).href;
      if (options.tamper && next.includes("/callback")) next = next.replace(/state=[^&]+/, "state=forged");
    }
  };
  return { opened, visited, openUrl };
}

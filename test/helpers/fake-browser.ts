import type { FetchLike } from "../../src/entra/trust.js";

/**
 * A stand-in for the system browser (test-flow's `openUrl`): it follows the redirects of the
 * authorization URL it is given — through authorization servers that sign in without a page (the dev
 * tenant in auto-approve mode, the spec fixture) — until one answers without a redirect (test-flow's
 * loopback receiver). `visited` holds every URL it requested; `tamper` forges the `state` on the
 * way back to the callback.
 */
export function fakeBrowser(options: { fetch?: FetchLike; tamper?: boolean } = {}) {
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const opened: string[] = [];
  const visited: string[] = [];
  const openUrl = async (url: string) => {
    opened.push(url);
    let next = url;
    for (let hop = 0; hop < 10; hop++) {
      visited.push(next);
      const response = await fetchImpl(next, { redirect: "manual" });
      await response.body?.cancel();
      const location = response.headers.get("location");
      if (!location) return;
      next = new URL(location, next).href;
      if (options.tamper && next.includes("/callback")) next = next.replace(/state=[^&]+/, "state=forged");
    }
  };
  return { opened, visited, openUrl };
}

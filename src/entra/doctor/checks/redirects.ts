import { isLoopbackHost } from "../../../test-flow/http.js";
import { PROXY_CALLBACK_PATH } from "../../registration/desired.js";
import type { AppSnapshot, Findings } from "../model.js";

function isLoopback(uri: string): boolean {
  try {
    return isLoopbackHost(new URL(uri).hostname);
  } catch {
    return false;
  }
}

/**
 * Redirect URIs on the right platform (the reference's trap 6): a public client's loopback redirect
 * under publicClient (ports are ignored there), a confidential client's callback under web.
 */
export function checkRedirects(snap: AppSnapshot, f: Findings): void {
  const app = snap.app!;
  const platforms = {
    web: app.web.redirectUris,
    spa: app.spa.redirectUris,
    publicClient: app.publicClient.redirectUris,
  };
  const evidence = Object.fromEntries(Object.entries(platforms).map(([name, uris]) => [name, uris]));
  if (snap.record.preset === "local") {
    const fix =
      "mcp-entra register --preset local (loopback redirect under publicClient; other URIs: --public-redirect-uri <uri>)";
    const misplaced = [...platforms.web, ...platforms.spa].filter(isLoopback);
    if (misplaced.length > 0) {
      f.add({
        id: "redirect-platforms",
        app: snap.key,
        status: "error",
        summary: `${misplaced.join(", ")} ${misplaced.length === 1 ? "is" : "are"} registered for web or spa: a public client's loopback sign-in is refused there (AADSTS7000218 without a secret, AADSTS50011 for the port).`,
        evidence,
        fix,
      });
    } else if (!platforms.publicClient.some(isLoopback)) {
      f.add({
        id: "redirect-platforms",
        app: snap.key,
        status: "error",
        summary:
          "No loopback redirect URI under publicClient: browser sign-in from the local client fails with AADSTS50011.",
        evidence,
        fix,
      });
    } else
      f.passed("redirect-platforms", snap.key, "Loopback redirect URIs are under publicClient.", evidence);
    if (app.isFallbackPublicClient !== true) {
      f.add({
        id: "public-client-flows",
        app: snap.key,
        status: "error",
        summary:
          "Public client flows are off (isFallbackPublicClient): device code sign-in fails with AADSTS7000218.",
        evidence: { isFallbackPublicClient: String(app.isFallbackPublicClient) },
        fix: "mcp-entra register --preset local",
      });
    }
    return;
  }
  if (snap.record.preset === "proxy" && snap.record.serverUrl) {
    const callback = new URL(PROXY_CALLBACK_PATH, snap.record.serverUrl).href;
    const fix = `mcp-entra register --preset proxy --server-url ${snap.record.serverUrl} (its callback goes under web)`;
    if (platforms.web.includes(callback)) {
      f.passed("redirect-platforms", snap.key, `The proxy's callback ${callback} is under web.`, evidence);
      return;
    }
    const elsewhere = [...platforms.publicClient, ...platforms.spa].includes(callback);
    f.add({
      id: "redirect-platforms",
      app: snap.key,
      status: "error",
      summary: elsewhere
        ? `The proxy's callback ${callback} is registered for a public platform, but the proxy is a confidential client: Entra refuses its secret there (AADSTS700025).`
        : `The proxy's callback ${callback} is not a redirect URI of the app: sign-in through the proxy fails with AADSTS50011.`,
      evidence,
      fix,
    });
  }
}

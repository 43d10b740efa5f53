import { OperationError, SignInRequiredError } from "../../core/errors.js";
import type { FetchLike } from "../../entra/trust.js";
import { insecureUrlProblem } from "../http.js";
import type { AuthorizationAgent } from "./browser-agent.js";
import { allowOnConsentPage, type ConsentAgent, withCookies } from "./proxy-consent.js";

const MAX_REDIRECTS = 10;

/**
 * --auth headless: follows the authorization server's redirects over HTTP(S) without a browser, until
 * one points at the redirect URI, and delivers that one to the loopback receiver. For authorization
 * servers that sign in without interaction (the dev tenant's auto-approve mode, test servers); a page
 * that wants a person means sign-in is not possible without one — except an mcp-entra proxy's consent
 * page for the client test-flow signs in as, which it answers as the user's agent (proxy-consent.ts).
 * It keeps cookies, as a browser does.
 */
export function headlessAgent(
  plainFetch: FetchLike,
  isRedirect: (url: string) => boolean,
  consent?: ConsentAgent,
): AuthorizationAgent {
  return async (start) => {
    const fetchImpl = withCookies(plainFetch);
    let url = start.href;
    for (let hop = 0; hop < MAX_REDIRECTS; hop++) {
      const problem = insecureUrlProblem(url, "Redirect to");
      if (problem) throw new OperationError("INSECURE_REDIRECT", problem);
      if (isRedirect(url)) {
        const delivered = await fetchImpl(url, { redirect: "manual" });
        await delivered.body?.cancel();
        return;
      }
      const response = await fetchImpl(url, { redirect: "manual", headers: { Accept: "text/html" } });
      const location = response.headers.get("location");
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        url = new URL(location, url).href;
        continue;
      }
      const html = await response.text();
      const allowed = response.ok && consent && (await allowOnConsentPage(fetchImpl, { url, html }, consent));
      if (allowed) {
        url = allowed;
        continue;
      }
      const body = pageText(html);
      if (response.ok) {
        throw new SignInRequiredError(
          "INTERACTIVE_SIGN_IN_NEEDED",
          `The authorization server answered ${new URL(url).origin} with a page for a person (HTTP ${response.status}), not a redirect.`,
          {
            suggestion:
              "Sign in on a terminal with --auth browser (or device-code), use --auth client-credentials or --token-file in CI, or, on the dev tenant, turn on auto-approve for a test user.",
          },
        );
      }
      throw new OperationError(
        "AUTHORIZATION_FAILED",
        `The authorization endpoint answered HTTP ${response.status}: ${body}`,
      );
    }
    throw new OperationError(
      "TOO_MANY_REDIRECTS",
      `More than ${MAX_REDIRECTS} redirects from ${start.origin}.`,
    );
  };
}

/** What an HTML page says, for the report: its text without markup, from the AADSTS error on if it has one. */
export function pageText(html: string): string {
  const text = html
    .replace(/<(head|style|script)\b[\s\S]*?<\/\1>/gi, " ")
    .replace(/<[^>]*>/g, " ")
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
  const error = text.indexOf("AADSTS");
  return (error >= 0 ? text.slice(error) : text).slice(0, 400);
}

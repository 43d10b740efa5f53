import { networkErrorMessage } from "../http.js";
import type { StepContext } from "../report/report.js";

/**
 * With --client-metadata-url the client's redirect URIs are the ones its Client ID Metadata Document
 * lists, and authorization servers may compare them exactly (the mcp-entra `proxy` template does,
 * port included). So before listening for the redirect, test-flow reads its own document and takes its
 * first loopback redirect URI (http on 127.0.0.1 or localhost): that port, or any port when the URI
 * names none (RFC 8252 §7.3). A document it cannot read (another CA, say) only costs that choice:
 * the flow goes on with a loopback redirect URI of its own, and the authorization server has the last word.
 */
export async function documentRedirectUri(
  url: string,
  fetchImpl: (input: string) => Promise<Response>,
  step: StepContext,
): Promise<string | undefined> {
  let document: unknown;
  try {
    const response = await fetchImpl(url);
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`HTTP ${response.status}`);
    }
    document = await response.json();
  } catch (error) {
    step.note(
      `Could not read the Client ID Metadata Document (${networkErrorMessage(error)}); listening on a loopback redirect URI of its own.`,
    );
    return undefined;
  }
  const uris = (document as { redirect_uris?: unknown })?.redirect_uris;
  const loopback = (Array.isArray(uris) ? uris : []).find(
    (uri): uri is string =>
      typeof uri === "string" &&
      URL.canParse(uri) &&
      new URL(uri).protocol === "http:" &&
      ["127.0.0.1", "localhost"].includes(new URL(uri).hostname),
  );
  if (!loopback) {
    step.note(
      "The Client ID Metadata Document lists no http://127.0.0.1 or http://localhost redirect URI; the authorization server will likely refuse test-flow's own.",
    );
    return undefined;
  }
  step.evidence("redirect_uri source", "the Client ID Metadata Document");
  return loopback;
}

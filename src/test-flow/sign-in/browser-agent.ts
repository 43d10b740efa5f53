/** How the authorization request reaches the authorization server and its answer reaches the client. */
export type AuthorizationAgent = (authorizationUrl: URL) => Promise<void>;

/** --auth browser: opens the system browser (and prints the URL, for when it cannot). */
export function browserAgent(
  notice: (text: string) => void,
  openUrl: (url: string) => Promise<unknown>,
): AuthorizationAgent {
  return async (url) => {
    notice(`Sign in in your browser. If it does not open, open this URL:\n  ${url.href}`);
    await openUrl(url.href).catch(() => notice("Could not open a browser; open the URL above."));
  };
}

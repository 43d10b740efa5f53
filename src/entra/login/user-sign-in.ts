import type { AuthenticationResult, PublicClientApplication } from "@azure/msal-node";
import type { Ui } from "../../core/ui.js";

export type UserSignInMethod = "device-code" | "browser";

/** Signs a person in with msal: the device code flow (message on stderr) or the system browser. */
export async function signInUser(
  app: PublicClientApplication,
  method: UserSignInMethod,
  scopes: string[],
  ui: Ui,
): Promise<AuthenticationResult> {
  if (method === "device-code") {
    const result = await app.acquireTokenByDeviceCode({
      scopes,
      deviceCodeCallback: (response) => ui.tell(response.message),
    });
    if (!result) throw new Error("The device code flow returned no token");
    return result;
  }
  const { default: open } = await import("open");
  return app.acquireTokenInteractive({
    scopes,
    openBrowser: async (url) => {
      ui.tell(`Opening your browser to sign in. If it does not open, visit:\n${url}`);
      await open(url).catch(() => undefined);
    },
    successTemplate: "<h1>Signed in to mcp-entra.</h1><p>You can close this window.</p>",
    errorTemplate: "<h1>Sign-in failed.</h1><p>{error}</p>",
  });
}

import { mcpEntraHome } from "../../core/paths.js";
import type { Ui } from "../../core/ui.js";
import { publicClientApp } from "../../entra/login/msal-apps.js";
import { type LoginSession, readLoginSession, writeLoginSession } from "../../entra/login/user-settings.js";

/** `mcp-entra logout`: forgets the remembered sign-in and its cached tokens, and says so. */
export async function runLogoutCommand(ui: Ui, home = mcpEntraHome()): Promise<number> {
  const session = await logOut(home);
  if (ui.json) ui.printJson({ ok: true, signedOut: Boolean(session) });
  else
    ui.print(
      session
        ? `Signed out of ${session.domain ?? session.tenantId}. Commands use the dev tenant.`
        : "Not signed in.",
    );
  return 0;
}

async function logOut(home: string): Promise<LoginSession | undefined> {
  const session = await readLoginSession(home);
  if (!session) return undefined;
  if (session.homeAccountId && session.clientId) {
    const app = publicClientApp({ authority: session.authority, caPems: [] }, session.clientId, home);
    const account = await app.getTokenCache().getAccountByHomeId(session.homeAccountId);
    if (account) await app.getTokenCache().removeAccount(account);
  }
  await writeLoginSession(home, undefined);
  return session;
}

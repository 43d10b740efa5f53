import { invalidFlag } from "../../core/errors.js";
import { checkReadableFiles, parseOptions } from "../../core/parse-options.js";
import { mcpEntraHome } from "../../core/paths.js";
import type { Ui } from "../../core/ui.js";
import { createBootstrapApp } from "../../entra/login/bootstrap-app.js";
import { DEV_TENANT_LOGIN_CLIENT_ID, signInToDevTenant } from "../../entra/login/dev-tenant-target.js";
import { type LoginResult, signInToEntra } from "../../entra/login/entra-login.js";
import { type LoginSession, writeLoginSession } from "../../entra/login/user-settings.js";
import { loginOptionsSchema } from "./options.js";

const CLIENT_WORDS = {
  "first-party": "Microsoft Graph Command Line Tools",
  bootstrap: "the bootstrap app",
  own: "app",
} as const;

/** `mcp-entra login`: signs in to a tenant for Graph, remembers it as the default target, says so. */
export async function runLoginCommand(
  raw: Record<string, unknown>,
  ui: Ui,
  home = mcpEntraHome(),
  env = process.env,
): Promise<number> {
  const { session, scopes } = await logIn(raw, ui, home, env);
  if (ui.json) {
    ui.printJson({ ok: true, session, scopes });
    return 0;
  }
  const where = session.kind === "dev" ? "the dev tenant" : `tenant ${session.domain ?? session.tenantId}`;
  const through = session.client ? ` through ${CLIENT_WORDS[session.client]} ${session.clientId}` : "";
  ui.print(
    `${ui.color.green("✔")} Signed in to ${where} (${session.tenantId})${session.username ? ` as ${session.username}` : ""} with ${session.method}${through}.`,
  );
  if (scopes.length) ui.print(`  Graph permissions: ${scopes.join(", ")}`);
  ui.print(
    session.kind === "dev"
      ? "  Commands use the dev tenant."
      : "  Commands now use this tenant; pass --tenant dev for the dev tenant, `mcp-entra logout` to forget it.",
  );
  return 0;
}

async function logIn(
  raw: Record<string, unknown>,
  ui: Ui,
  home: string,
  env: NodeJS.ProcessEnv,
): Promise<LoginResult> {
  const options = parseOptions(loginOptionsSchema, raw);
  await checkReadableFiles({
    "--certificate": options.certificate,
    "--federated-token-file": options.federatedTokenFile,
  });
  if (options.tenant === "dev" && options.createApp) {
    throw invalidFlag(
      "--create-app",
      "is for Entra tenants; the dev tenant signs you in without an app of your own",
      "pass --tenant <your tenant id or domain>, or drop --create-app",
    );
  }
  if (options.tenant === "dev") {
    const { ensureDevTenant } = await import("../../tenant/server/ensure.js");
    const handle = await ensureDevTenant({ home, ui });
    const result = await signInToDevTenant(handle, home, options.user);
    const session: LoginSession = {
      kind: "dev",
      authority: handle.authority,
      tenantId: handle.tenantId,
      domain: handle.domain,
      method: "device-code",
      clientId: DEV_TENANT_LOGIN_CLIENT_ID,
      homeAccountId: result.account?.homeAccountId,
      username: result.account?.username,
    };
    await writeLoginSession(home, session);
    return { session, scopes: result.scopes };
  }

  const entra = { ui, home, env };
  if (!options.createApp) return signInToEntra(options, entra);
  if (
    options.clientId ||
    options.method === "client-credentials" ||
    options.method === "federated-token-file"
  ) {
    throw invalidFlag(
      "--create-app",
      "creates the app a person signs in through, so it goes without --client-id and app-only methods",
      "drop --client-id (or --create-app), or use --method browser, device-code or azure-cli",
    );
  }
  return createBootstrapApp(options.tenant, options.method, entra);
}

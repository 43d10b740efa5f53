import { mcpEntraHome } from "../../core/paths.js";
import type { Ui } from "../../core/ui.js";
import { runLogin, runLogout, runWhoami } from "./login-command.js";

/** Renders login, logout and whoami for people (or --json). */

const CLIENT_WORDS = {
  "first-party": "Microsoft Graph Command Line Tools",
  bootstrap: "the bootstrap app",
  own: "app",
} as const;

export async function runLoginCommand(raw: Record<string, unknown>, ui: Ui): Promise<void> {
  const { session, scopes } = await runLogin(raw, ui, mcpEntraHome());
  if (ui.json) {
    ui.printJson({ ok: true, session, scopes });
    return;
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
}

export async function runLogoutCommand(ui: Ui): Promise<void> {
  const session = await runLogout(mcpEntraHome());
  if (ui.json) ui.printJson({ ok: true, signedOut: Boolean(session) });
  else
    ui.print(
      session
        ? `Signed out of ${session.domain ?? session.tenantId}. Commands use the dev tenant.`
        : "Not signed in.",
    );
}

export async function runWhoamiCommand(raw: { tenant?: string }, ui: Ui): Promise<void> {
  const who = await runWhoami(raw, ui, mcpEntraHome());
  if (ui.json) {
    ui.printJson(who);
    return;
  }
  ui.print(
    `Tenant:      ${who.tenant.label} (${who.tenant.id}${who.tenant.domain ? `, ${who.tenant.domain}` : ""})`,
  );
  ui.print(
    `Account:     ${who.principal.kind === "user" ? (who.principal.name ?? who.principal.id) : `app ${who.principal.appId}`}`,
  );
  ui.print(`Signed in:   ${who.method}`);
  ui.print(`Permissions: ${who.permissions.join(", ") || "none"}`);
  if (who.expiresAt) ui.print(`Token until: ${who.expiresAt}`);
}

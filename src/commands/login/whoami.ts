import { decodeJwt } from "jose/jwt/decode";
import { mcpEntraHome } from "../../core/paths.js";
import type { Ui } from "../../core/ui.js";
import { scopesFromClaims } from "../../entra/login/entra-login.js";
import { resolveTarget } from "../../entra/login/resolve-target.js";
import { msalCacheFile, readLoginSession } from "../../entra/login/user-settings.js";
import { checkTenantFlag } from "../../entra/tenant-flag.js";

/** `mcp-entra whoami`: who commands act as, in which tenant, with which Graph permissions. */
export async function runWhoamiCommand(
  raw: { tenant?: string },
  ui: Ui,
  home = mcpEntraHome(),
): Promise<number> {
  const who = await whoAmI(raw, ui, home);
  if (ui.json) {
    ui.printJson(who);
    return 0;
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
  return 0;
}

export interface WhoAmI {
  tenant: { kind: "dev" | "entra"; id: string; domain?: string; label: string };
  principal: { kind: "user" | "app"; name?: string; id?: string; appId?: string };
  method: string;
  permissions: string[];
  expiresAt?: string;
  cacheFile: string;
}

async function whoAmI(raw: { tenant?: string }, ui: Ui, home: string): Promise<WhoAmI> {
  const target = await resolveTarget({ tenant: checkTenantFlag(raw.tenant), home, ui });
  const session = await readLoginSession(home);
  const claims = decodeJwt(await target.graphToken());
  const isApp = claims.idtyp === "app" || (!claims.scp && Array.isArray(claims.roles));
  return {
    tenant: { kind: target.kind, id: target.tenantId, domain: target.domain, label: target.label },
    principal: isApp
      ? { kind: "app", id: str(claims.oid), appId: str(claims.appid ?? claims.azp) }
      : {
          kind: "user",
          name: str(claims.upn ?? claims.preferred_username ?? claims.unique_name),
          id: str(claims.oid),
        },
    method:
      target.kind === "dev" && session?.kind !== "dev"
        ? "dev tenant administrator (automatic)"
        : (session?.method ?? "device-code"),
    permissions: scopesFromClaims(claims),
    expiresAt: typeof claims.exp === "number" ? new Date(claims.exp * 1000).toISOString() : undefined,
    cacheFile: msalCacheFile(home),
  };
}

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

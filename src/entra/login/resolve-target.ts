import { SignInRequiredError } from "../../core/errors.js";
import type { Ui } from "../../core/ui.js";
import type { TenantTarget } from "../tenant-target.js";
import { devTenantTarget } from "./dev-tenant-target.js";
import { entraTarget } from "./entra-target.js";
import { readLoginSession } from "./user-settings.js";

export interface TargetChoice {
  /** --tenant: "dev", a tenant id or a domain; default: the one `login` remembered, else the dev tenant. */
  tenant?: string;
  home: string;
  ui: Ui;
}

/**
 * The tenant a command works on, said out loud on stderr. Without --tenant and without a remembered
 * sign-in it is the dev tenant, started in the background when it is not running.
 */
export async function resolveTarget(choice: TargetChoice): Promise<TenantTarget> {
  const session = await readLoginSession(choice.home);
  const wanted = choice.tenant?.trim().toLowerCase();
  if (wanted === "dev" || (!wanted && (!session || session.kind === "dev"))) {
    const { ensureDevTenant } = await import("../../tenant/server/ensure.js");
    const handle = await ensureDevTenant({ home: choice.home, ui: choice.ui });
    return devTenantTarget(handle, choice.home);
  }
  const matches =
    session?.kind === "entra" &&
    (!wanted || wanted === session.tenantId.toLowerCase() || wanted === session.domain?.toLowerCase());
  if (!session || !matches) {
    throw new SignInRequiredError("SIGN_IN_REQUIRED", `Not signed in to tenant ${choice.tenant}.`, {
      suggestion: `run \`mcp-entra login --tenant ${choice.tenant}\` first (or omit --tenant to use the dev tenant).`,
    });
  }
  const target = entraTarget(session, choice.home);
  choice.ui.note(
    `Using ${target.label} (signed in with ${session.method}${session.username ? ` as ${session.username}` : ""}).`,
  );
  return target;
}

import { mcpEntraHome } from "../core/paths.js";
import type { ProjectConfig } from "../core/project-config.js";
import type { Ui } from "../core/ui.js";
import { resolveTarget } from "../entra/login/resolve-target.js";
import type { LifecycleDeps } from "../entra/registration/lifecycle/registration-context.js";
import { checkTenantFlag } from "../entra/tenant-flag.js";

/**
 * The lifecycle commands' (`app …`, `secret …`) options without --tenant, and what their work runs
 * against: the tenant is --tenant, else the one mcp-entra.json records (the dev tenant for projects
 * registered there), else the default target.
 */
export function lifecycleInput(
  raw: Record<string, unknown>,
  ui: Ui,
): { options: Record<string, unknown>; deps: LifecycleDeps } {
  const { tenant: rawTenant, yes: _yes, ...options } = raw;
  const tenant = checkTenantFlag(rawTenant);
  const home = mcpEntraHome();
  const deps: LifecycleDeps = {
    ui,
    target: (recorded) => resolveTarget({ tenant: tenant ?? recordedTenant(recorded), home, ui }),
  };
  return { options, deps };
}

function recordedTenant(recorded: ProjectConfig["tenant"]): string | undefined {
  if (!recorded) return undefined;
  return recorded.kind === "dev" ? "dev" : recorded.id;
}

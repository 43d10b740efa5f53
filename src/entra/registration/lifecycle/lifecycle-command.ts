import { mcpEntraHome } from "../../../core/paths.js";
import type { ProjectConfig } from "../../../core/project-config.js";
import type { Ui } from "../../../core/ui.js";
import { resolveTarget } from "../../login/resolve-target.js";
import { checkTenantFlag } from "../../tenant-flag.js";
import type { LifecycleDeps } from "./registration-context.js";

export type LifecycleCommand = "app show" | "app delete" | "secret rotate" | "secret list";

/**
 * The CLI's lifecycle commands: the tenant is --tenant, else the one mcp-entra.json records
 * (the dev tenant for projects registered there), else the default target.
 */
export async function runLifecycleCommand(
  command: LifecycleCommand,
  raw: Record<string, unknown>,
  ui: Ui,
): Promise<void> {
  const { tenant: rawTenant, yes: _yes, ...options } = raw;
  const tenant = checkTenantFlag(rawTenant);
  const home = mcpEntraHome();
  const deps: LifecycleDeps = {
    ui,
    target: (recorded) => resolveTarget({ tenant: tenant ?? recordedTenant(recorded), home, ui }),
  };
  switch (command) {
    case "app show": {
      const [{ runAppShow }, { renderAppShow }] = await Promise.all([
        import("./app-show.js"),
        import("./show-report.js"),
      ]);
      renderAppShow(await runAppShow(options, deps), ui);
      return;
    }
    case "app delete": {
      const [{ runAppDelete }, { renderAppDelete }] = await Promise.all([
        import("./app-delete.js"),
        import("./delete-report.js"),
      ]);
      renderAppDelete(await runAppDelete(options, deps), ui);
      return;
    }
    case "secret rotate": {
      const [{ runSecretRotate }, { renderSecretRotate }] = await Promise.all([
        import("./secret-rotate.js"),
        import("./rotate-report.js"),
      ]);
      renderSecretRotate(await runSecretRotate(options, deps), ui);
      return;
    }
    case "secret list": {
      const [{ runSecretList }, { renderSecretList }] = await Promise.all([
        import("./secret-list.js"),
        import("./list-report.js"),
      ]);
      renderSecretList(await runSecretList(options, deps), ui);
    }
  }
}

function recordedTenant(recorded: ProjectConfig["tenant"]): string | undefined {
  if (!recorded) return undefined;
  return recorded.kind === "dev" ? "dev" : recorded.id;
}

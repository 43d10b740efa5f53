import type { Ui } from "../../../core/ui.js";
import type { AppDeleteResult } from "./app-delete.js";

export function appDeleteJson(result: AppDeleteResult) {
  const { opened } = result;
  return {
    ok: true,
    dryRun: result.dryRun,
    deleted: result.confirmed && !result.dryRun,
    key: opened.key,
    app: { displayName: opened.record.displayName, appId: opened.record.appId ?? null },
    foundInTenant: result.foundInTenant,
    graph: { writes: result.writes.map(({ method, path, purpose }) => ({ method, path, purpose })) },
    project: { removedEntry: opened.key, removedVariables: result.removedVariables },
    warnings: result.warnings,
  };
}

/** The human view of `app delete` (a plan with --dry-run). */
export function renderAppDelete(result: AppDeleteResult, ui: Ui): void {
  if (ui.json) {
    ui.printJson(appDeleteJson(result));
    return;
  }
  if (!result.confirmed) return;
  const c = ui.color;
  const { opened } = result;
  const name = c.bold(opened.record.displayName);
  if (result.dryRun) ui.print(`Plan for deleting ${name} (nothing was changed):`);
  else if (result.foundInTenant) ui.print(`${c.green("✔")} Deleted ${name} from ${opened.target.label}.`);
  else ui.print(`${c.green("✔")} ${name} was already gone from ${opened.target.label}.`);
  for (const write of result.writes) {
    ui.print(`  ${c.cyan(write.method)} ${write.path}  ${c.dim(`# ${write.purpose}`)}`);
  }
  const verb = result.dryRun ? "would remove" : "removed";
  const variables = result.removedVariables.length
    ? ` and ${result.removedVariables.join(", ")} from .env`
    : "";
  ui.print(c.dim(`  ${verb} "${opened.key}" from mcp-entra.json${variables} in ${opened.dir}`));
  for (const warning of result.warnings) ui.warn(warning);
}

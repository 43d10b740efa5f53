import type { Ui } from "../../core/ui.js";
import type { DoctorCheck } from "./model.js";
import type { DoctorResult } from "./run-doctor.js";

const MARKS = { passed: "✔", warning: "!", error: "✖", skipped: "-" } as const;

/** The doctor's findings for people: grouped by app, each with its evidence and fix. */
export function renderDoctor(result: DoctorResult, ui: Ui): void {
  const c = ui.color;
  ui.print(`${c.bold("mcp-entra doctor")} ${result.dir}`);
  const server = result.server
    ? `server ${result.server.url} (${result.server.source}${result.server.prm ? "; metadata read" : ""})`
    : "no server URL";
  ui.print(c.dim(`${result.tenant.label} · ${server}`));
  const groups = new Map<string, DoctorCheck[]>();
  for (const check of result.checks) {
    const key = check.app ?? "server";
    groups.set(key, [...(groups.get(key) ?? []), check]);
  }
  for (const [group, checks] of groups) {
    ui.print();
    ui.print(c.bold(group === "server" ? "server metadata" : `${group} app`));
    for (const check of checks) renderCheck(check, ui);
  }
  ui.print();
  const counts = `${result.errors} error${result.errors === 1 ? "" : "s"}, ${result.warnings} warning${result.warnings === 1 ? "" : "s"}`;
  ui.print(result.errors > 0 ? c.red(`${counts} (exit code 1).`) : c.green(`No errors (${counts}).`));
}

function renderCheck(check: DoctorCheck, ui: Ui): void {
  const c = ui.color;
  const paint = { passed: c.green, warning: c.yellow, error: c.red, skipped: c.dim }[check.status];
  ui.print(`  ${paint(MARKS[check.status])} ${c.bold(check.id)}  ${check.summary}`);
  if (check.status === "passed" || check.status === "skipped") return;
  for (const [key, value] of Object.entries(check.evidence)) {
    const text = value === null ? "(none)" : Array.isArray(value) ? value.join(", ") || "(none)" : value;
    ui.print(`      ${c.dim(`${key}:`)} ${text}`);
  }
  if (check.fix) ui.print(`      ${c.cyan("fix:")} ${check.fix}`);
}

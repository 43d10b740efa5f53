import type { Spinner, Ui } from "../../core/ui.js";
import {
  type EvidenceValue,
  type ProgressListener,
  reportTarget,
  type StepResult,
  type TestFlowReport,
} from "./report.js";

/** The report for people, on stdout: one line per step, its evidence, notes and explanations. */
export function renderReportText(report: TestFlowReport, ui: Ui): void {
  const c = ui.color;
  ui.print(`${c.bold("mcp-entra test-flow")} ${reportTarget(report)}`);
  const as = report.authorizationServer;
  const signIn = report.signIn;
  const protocol = report.protocol;
  const parts = [
    report.stdio && `in ${report.stdio.cwd}`,
    protocol.version
      ? `MCP ${protocol.version}${protocol.requested === "auto" ? "" : ` (--protocol ${protocol.requested})`}`
      : `MCP: no session (--protocol ${protocol.requested})`,
    as && `authorization server ${as.issuer} (${as.kind})`,
    signIn && `sign-in ${signIn.method} (${signIn.reason})`,
  ].filter(Boolean);
  if (parts.length > 0) ui.print(c.dim(parts.join(" · ")));
  ui.print();
  for (const step of report.steps) {
    if (step.id.startsWith("probe-") && step === report.steps.find((s) => s.id.startsWith("probe-"))) {
      ui.print();
      ui.print(c.bold("Probes (--probe): what the server must refuse"));
    }
    renderStep(step, ui);
  }
  if (report.notes.length > 0) {
    ui.print();
    for (const note of report.notes) ui.print(`${c.yellow("note:")} ${note}`);
  }
  ui.print();
  ui.print(verdict(report, ui));
}

const MARKS = { passed: "✔", failed: "✖", skipped: "-", retried: "↻" } as const;

function renderStep(step: StepResult, ui: Ui): void {
  const c = ui.color;
  const paint = { passed: c.green, failed: c.red, skipped: c.dim, retried: c.yellow }[step.status];
  const title = step.attempt > 1 ? `${step.title} #${step.attempt}` : step.title;
  const time = step.status === "skipped" ? "" : c.dim(` ${step.durationMs} ms`);
  ui.print(`${paint(MARKS[step.status])} ${c.bold(title)}${time}  ${step.summary}`);
  if (step.status === "skipped") return;
  for (const [key, value] of Object.entries(step.evidence)) {
    ui.print(`    ${c.dim(`${key}:`)} ${formatEvidence(value)}`);
  }
  for (const note of step.notes) ui.print(`    ${c.yellow("note:")} ${note}`);
  const error = step.error;
  if (!error) return;
  for (const explanation of error.explanations) {
    ui.print(`    ${c.red(explanation.code)} ${explanation.error}`);
    if (explanation.cause) ui.print(`      ${c.dim("cause:")} ${explanation.cause}`);
    if (explanation.field) ui.print(`      ${c.dim("field:")} ${explanation.field}`);
    if (explanation.fix) ui.print(`      ${c.dim("fix:  ")} ${explanation.fix}`);
  }
  if (error.suggestion) ui.print(`    ${c.cyan("fix:")} ${error.suggestion}`);
}

export function formatEvidence(value: EvidenceValue): string {
  if (value === null) return "(none)";
  if (Array.isArray(value)) return value.length > 0 ? value.join(", ") : "(none)";
  if (typeof value === "object") {
    return Object.entries(value)
      .map(([key, item]) => `${key}=${Array.isArray(item) ? item.join(" ") : String(item)}`)
      .join(" ");
  }
  return String(value);
}

function verdict(report: TestFlowReport, ui: Ui): string {
  const c = ui.color;
  const counted = report.steps.filter((step) => step.status !== "retried");
  const passed = counted.filter((step) => step.status === "passed").length;
  const skipped = counted.filter((step) => step.status === "skipped").length;
  const seconds = (report.durationMs / 1000).toFixed(1);
  if (report.exitCode === 0) {
    return c.green(`Passed: ${passed} steps${skipped ? `, ${skipped} skipped` : ""} in ${seconds} s.`);
  }
  const failed = report.steps.find((step) => step.status === "failed");
  const what = { failed: "Failed", "usage-error": "Usage error", "sign-in-required": "Sign-in required" }[
    report.outcome as "failed"
  ];
  return c.red(`${what}${failed ? ` at ${failed.title}` : ""} (exit code ${report.exitCode}).`);
}

/**
 * Progress on a terminal: a spinner per running step, cleared when it ends (the report follows).
 * Messages for the person (sign-in URL, device code) stop the spinner, print, and restart it.
 */
export function spinnerProgress(ui: Ui): ProgressListener & { interrupt(text: string): void } {
  let title = "";
  let current: Promise<Spinner> | undefined;
  const stop = () => {
    const spinner = current;
    current = undefined;
    return spinner?.then((value) => value.stop());
  };
  return {
    started(text) {
      title = text;
      current = ui.spinner(text);
    },
    finished() {
      void stop();
    },
    interrupt(text) {
      const running = title;
      void Promise.resolve(stop()).then(() => {
        ui.tell(text);
        current = ui.spinner(running);
      });
    },
  };
}

import { reportTarget, type StepResult, type TestFlowReport } from "./report.js";
import { formatEvidence } from "./report-text.js";

/**
 * The report as JUnit XML for CI: one testsuite, one testcase per step (attempts numbered), failed
 * steps as <failure>, skipped as <skipped>, the evidence in <system-out>.
 */
export function renderJunit(report: TestFlowReport): string {
  const failures = report.steps.filter((step) => step.status === "failed").length;
  const skipped = report.steps.filter((step) => step.status === "skipped").length;
  const time = seconds(report.durationMs);
  const suite = attrs({
    name: `mcp-entra test-flow ${reportTarget(report)}`,
    tests: report.steps.length,
    failures,
    errors: 0,
    skipped,
    time,
    timestamp: report.startedAt,
  });
  const properties = {
    "mcp.protocol.requested": report.protocol.requested,
    "mcp.protocol.version": report.protocol.version ?? "none",
    ...(report.authorizationServer ? { "authorization-server": report.authorizationServer.issuer } : {}),
  };
  const lines = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites ${attrs({ name: "mcp-entra test-flow", tests: report.steps.length, failures, errors: 0, skipped, time })}>`,
    `  <testsuite ${suite}>`,
    "    <properties>",
    ...Object.entries(properties).map(([name, value]) => `      <property ${attrs({ name, value })}/>`),
    "    </properties>",
    ...report.steps.map(testcase),
    "  </testsuite>",
    "</testsuites>",
    "",
  ];
  return lines.join("\n");
}

function testcase(step: StepResult): string {
  const name = step.attempt > 1 ? `${step.id} #${step.attempt}` : step.id;
  const classname = step.id.startsWith("probe-") ? "mcp-entra.test-flow.probe" : "mcp-entra.test-flow";
  const head = `    <testcase ${attrs({ classname, name, time: seconds(step.durationMs) })}>`;
  const body: string[] = [];
  if (step.status === "failed") {
    const details = [
      step.error?.message ?? step.summary,
      ...(step.error?.explanations ?? []).map(
        (item) =>
          `${item.code}: ${[item.cause, item.field && `field: ${item.field}`, item.fix && `fix: ${item.fix}`].filter(Boolean).join("; ")}`,
      ),
      step.error?.suggestion ? `Fix: ${step.error.suggestion}` : "",
    ].filter(Boolean);
    body.push(
      `      <failure ${attrs({ message: step.summary, type: step.error?.code ?? "FAILED" })}>${text(details.join("\n"))}</failure>`,
    );
  }
  if (step.status === "skipped") body.push(`      <skipped ${attrs({ message: step.summary })}/>`);
  const out = [
    `${step.status}: ${step.summary}`,
    ...Object.entries(step.evidence).map(([key, value]) => `${key}: ${formatEvidence(value)}`),
    ...step.notes.map((note) => `note: ${note}`),
  ];
  if (step.status !== "skipped") body.push(`      <system-out>${text(out.join("\n"))}</system-out>`);
  return [head, ...body, "    </testcase>"].join("\n");
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function attrs(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(
      ([key, value]) =>
        `${key}="${xmlEscape(String(value)).replace(/"/g, "&quot;").replace(/\n/g, "&#10;")}"`,
    )
    .join(" ");
}

function text(value: string): string {
  return xmlEscape(value);
}

/** XML 1.0: escape markup and drop characters it cannot carry. */
function xmlEscape(value: string): string {
  return (
    value
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing what XML 1.0 forbids
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "")
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
  );
}

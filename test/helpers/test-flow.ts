import { Ui } from "../../src/core/ui.js";
import type { TestFlowDeps } from "../../src/test-flow/flow.js";
import { parseTestFlowOptions } from "../../src/test-flow/options.js";
import type { TestFlowReport } from "../../src/test-flow/report/report.js";
import { renderReportText } from "../../src/test-flow/report/report-text.js";
import { runSelectedFlow } from "../../src/test-flow/selected-flow.js";
import { captureStream } from "./capture-ui.js";
import { outputRecorder } from "./output-ledger.js";

export interface FlowRun {
  report: TestFlowReport;
  /** The human report and everything written to stderr during the run. */
  output: string;
}

/**
 * Runs test-flow in-process with the options as the CLI would pass them (no terminal by default):
 * `serverUrl`, or `stdio` (and `cwd`) for a stdio server.
 */
export async function runFlow(
  raw: Record<string, unknown> & ({ serverUrl: string } | { stdio: string }) & { home: string },
  deps: Partial<TestFlowDeps> = {},
): Promise<FlowRun> {
  const recorder = outputRecorder("test-flow");
  const stdout = captureStream(recorder);
  const stderr = captureStream(recorder);
  const ui = new Ui({ stdout: stdout.stream, stderr: stderr.stream, color: false, env: {} });
  const { home, ...rest } = raw;
  const options = parseTestFlowOptions({ timeout: "30", ...rest }, {});
  const report = await runSelectedFlow(options, {
    ui,
    home,
    personPresent: false,
    openUrl: async () => {
      throw new Error("no browser in tests");
    },
    clientVersion: "0.0.0-test",
    ...deps,
  });
  renderReportText(report, ui);
  return { report, output: `${stdout.text()}\n${stderr.text()}` };
}

export function step(report: TestFlowReport, id: string, attempt = 1) {
  const found = report.steps.find((candidate) => candidate.id === id && candidate.attempt === attempt);
  if (!found) throw new Error(`No step ${id} #${attempt} in the report`);
  return found;
}

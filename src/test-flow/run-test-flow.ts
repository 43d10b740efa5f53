import { writeFile } from "node:fs/promises";
import { OperationError } from "../core/errors.js";
import { mcpEntraHome } from "../core/paths.js";
import type { Ui } from "../core/ui.js";
import { runTestFlow } from "./flow.js";
import type { TestFlowDeps } from "./flow-state.js";
import { checkFlagFiles, type FlowOptions, parseTestFlowOptions } from "./options.js";
import type { TestFlowReport } from "./report/report.js";
import { renderJunit } from "./report/report-junit.js";
import { renderReportText, spinnerProgress } from "./report/report-text.js";

/**
 * `mcp-entra test-flow`: validates the options, runs the flow, prints the report (text, or one JSON
 * document with --json), writes --junit, and returns the exit code (0 passed, 1 a step failed,
 * 2 usage error, 3 sign-in needed but not possible without a person).
 */
export async function runTestFlowCommand(
  raw: unknown,
  ui: Ui,
  context: { clientVersion: string; env?: NodeJS.ProcessEnv },
): Promise<{ report: TestFlowReport; exitCode: number }> {
  const env = context.env ?? process.env;
  const options = parseTestFlowOptions(raw, env);
  await checkFlagFiles(options);
  const report = await runSelectedFlow(options, {
    ui,
    home: mcpEntraHome(env),
    personPresent: Boolean(process.stdin.isTTY && process.stderr.isTTY),
    openUrl: async (url) => {
      const { default: open } = await import("open");
      return open(url);
    },
    progress: ui.json ? undefined : spinnerProgress(ui),
    clientVersion: context.clientVersion,
    serverEnv: env,
  });
  if (options.junit) {
    await writeFile(options.junit, renderJunit(report)).catch((error: Error) => {
      throw new OperationError(
        "JUNIT_WRITE_FAILED",
        `--junit: cannot write ${options.junit} (${error.message}).`,
      );
    });
  }
  if (ui.json) ui.printJson(report);
  else renderReportText(report, ui);
  return { report, exitCode: report.exitCode };
}

/** The flow the options ask for: against a server by its URL, or a stdio server test-flow starts. */
export async function runSelectedFlow(options: FlowOptions, deps: TestFlowDeps): Promise<TestFlowReport> {
  if (options.transport === "stdio") {
    const { runStdioFlow } = await import("./stdio/stdio-flow.js");
    return runStdioFlow(options, deps);
  }
  return runTestFlow(options, deps);
}

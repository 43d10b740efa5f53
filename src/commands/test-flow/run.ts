import { writeFile } from "node:fs/promises";
import { OperationError } from "../../core/errors.js";
import { readPackageVersion } from "../../core/package-version.js";
import { mcpEntraHome } from "../../core/paths.js";
import type { Ui } from "../../core/ui.js";
import { checkFlagFiles, parseTestFlowOptions } from "../../test-flow/options.js";
import { renderJunit } from "../../test-flow/report/report-junit.js";
import { renderReportText, spinnerProgress } from "../../test-flow/report/report-text.js";
import { runSelectedFlow } from "../../test-flow/selected-flow.js";

/**
 * `mcp-entra test-flow`: validates the options, runs the flow, prints the report (text, or one JSON
 * document with --json), writes --junit, and returns the exit code (0 passed, 1 a step failed,
 * 2 usage error, 3 sign-in needed but not possible without a person).
 */
export async function runTestFlowCommand(
  raw: unknown,
  ui: Ui,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
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
    clientVersion: readPackageVersion(),
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
  return report.exitCode;
}

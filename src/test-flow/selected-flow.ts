import { runTestFlow } from "./flow.js";
import type { TestFlowDeps } from "./flow-state.js";
import type { FlowOptions } from "./options.js";
import type { TestFlowReport } from "./report/report.js";

/** The flow the options ask for: against a server by its URL, or a stdio server test-flow starts. */
export async function runSelectedFlow(options: FlowOptions, deps: TestFlowDeps): Promise<TestFlowReport> {
  if (options.transport === "stdio") {
    const { runStdioFlow } = await import("./stdio/stdio-flow.js");
    return runStdioFlow(options, deps);
  }
  return runTestFlow(options, deps);
}

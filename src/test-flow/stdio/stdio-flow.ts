import { OperationError } from "../../core/errors.js";
import type { TestFlowDeps } from "../flow-state.js";
import { InputAnswers } from "../mcp-client/input-answers.js";
import { SdkWarnings } from "../mcp-client/sdk-warnings.js";
import { ReportBuilder, type StdioStepId, type StepContext, type TestFlowReport } from "../report/report.js";
import { scrubTokens } from "../scrub-tokens.js";
import { chooseTool, describeToolCall, recordToolResult, toolText } from "../steps/call.js";
import { recordToolsList } from "../steps/list.js";
import { recordSession } from "../steps/session.js";
import { ServerSignIn } from "./server-sign-in.js";
import { ServerStderr } from "./server-stderr.js";
import type { StdioFlowOptions } from "./stdio-options.js";
import { StdioMcpSession } from "./stdio-session.js";

/**
 * `test-flow --stdio "<command>"`: starts a local MCP server (no shell), speaks MCP over its stdin and
 * stdout (2026-07-28 or the 2025-11-25 initialize, as --protocol says), and reports spawn, the
 * session, tools/list and tools/call — each with what the server wrote
 * to stderr meanwhile (scrubbed) — and `server-sign-in` when the server asks for a sign-in first.
 */
export async function runStdioFlow(options: StdioFlowOptions, deps: TestFlowDeps): Promise<TestFlowReport> {
  const command = [options.command, ...options.commandArgs];
  const report = new ReportBuilder({ stdio: { command, cwd: options.cwd } }, deps.progress, options.protocol);
  const timeoutMs = options.timeout * 1000;
  const signal = AbortSignal.timeout(timeoutMs);
  const signIn = new ServerSignIn({
    personPresent: deps.personPresent,
    tell: (text) => (deps.progress?.interrupt ? deps.progress.interrupt(text) : deps.ui.tell(text)),
    deadline: signal,
    deadlineAt: Date.now() + timeoutMs,
    timeoutSeconds: options.timeout,
  });
  const stderr = new ServerStderr((text) => signIn.instruction(text));
  const warnings = new SdkWarnings().start();
  const session = new StdioMcpSession(
    {
      signal,
      timeoutMs,
      clientVersion: deps.clientVersion,
      protocol: options.protocol,
      answers: new InputAnswers(),
      warnings,
    },
    {
      command: options.command,
      args: options.commandArgs,
      cwd: options.cwd,
      env: deps.serverEnv ?? process.env,
    },
    stderr,
  );
  const flow: StdioFlow = {
    report,
    signIn,
    session,
    options,
    step: (id, body) =>
      report.run(id, async (context) => {
        try {
          const value = await body(context);
          context.evidence("stderr", stderr.take());
          return value;
        } catch (error) {
          // A server that exited: all it wrote, not only what was read so far.
          await stderr.drained();
          context.evidence("stderr", stderr.take());
          throw error;
        }
      }),
  };
  try {
    await flow.step("spawn", async (context) => {
      context.evidence("command", command);
      context.evidence("cwd", options.cwd);
      const { pid } = await session.spawn();
      context.evidence("pid", pid ?? null);
      context.summary(`${options.command} runs (pid ${pid ?? "unknown"})`);
    });
    await flow.step("session", async (context) =>
      recordSession(context, await signIn.bounded(session.connect()), report),
    );
    await toolSteps(flow);
  } catch (error) {
    report.stopped(error);
  } finally {
    signIn.finished();
    await session.close();
    for (const warning of warnings.take()) report.note(`The MCP SDK warned: ${warning}`);
    warnings.stop();
  }
  return report.finish();
}

interface StdioFlow {
  report: ReportBuilder;
  signIn: ServerSignIn;
  session: StdioMcpSession;
  options: StdioFlowOptions;
  /** A report step, with the server's stderr since the last step as evidence. */
  step<T>(id: StdioStepId, body: (step: StepContext) => Promise<T>): Promise<T>;
}

/**
 * tools/list, then tools/call of the tool the HTTP flow would choose; when the server answers that it
 * needs a sign-in first, server-sign-in waits for it and the call's answer after it is reported.
 */
async function toolSteps({ report, signIn, session, options, step }: StdioFlow): Promise<void> {
  const tools = await step("tools-list", async (context) => {
    const listing = await signIn.bounded(session.listTools());
    recordToolsList(context, listing);
    return listing.tools;
  });
  const choice = chooseTool(tools, options.tool, options.args);
  const { tool, missing } = choice;
  if (missing) {
    await step("tools-call", async () => {
      throw new OperationError("NO_SUCH_TOOL", missing);
    });
  }
  if (!tool) {
    report.skip("tools-call", choice.reason);
    return;
  }
  const call = () => session.callTool(tool, choice.args);
  const asked = await step("tools-call", async (context) => {
    describeToolCall(context, tool, choice);
    const mark = signIn.mark();
    const result = await signIn.bounded(call());
    if (!signIn.asksForSignIn(result, mark)) {
      signIn.finished();
      recordToolResult(context, tool, result);
      return false;
    }
    const text = toolText(result);
    if (text !== undefined) context.evidence("text", scrubTokens(text));
    context.retried("The server asks for a sign-in first.");
    return true;
  });
  if (!asked) return;
  const answer = await step("server-sign-in", (context) => signIn.complete(context, call));
  await step("tools-call", async (context) => {
    describeToolCall(context, tool, choice);
    context.note("The answer of the call that found the server signed in (server-sign-in).");
    recordToolResult(context, tool, answer);
  });
}

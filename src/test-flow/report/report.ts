import { errorMessage, McpEntraError } from "../../core/errors.js";
import { type Explanation, explanationsIn } from "../../entra/explain.js";
import type { ProtocolChoice } from "../mcp-client/protocol-choices.js";
import { formatCommandLine } from "../stdio/stdio-options.js";
import { FLOW_STEPS, REQUIRE_AUTH_STEP, STDIO_STEPS, STEP_TITLES, type StepId } from "./step-ids.js";

export type { FlowStepId, ProbeStepId, StdioStepId, StepId } from "./step-ids.js";

/*
 * The test-flow report: one entry per step with its status, duration and evidence. Its JSON form is
 * documented by schemas/test-flow-report.schema.json. Evidence never holds tokens or secrets: every
 * secret the flow handles is registered with the builder and replaced in the finished report.
 */

/** `retried`: the step needed a new authorization (step-up) and was run again. */
export type StepStatus = "passed" | "failed" | "skipped" | "retried";
export type Scalar = string | number | boolean | null;
export type EvidenceValue = Scalar | string[] | { [key: string]: Scalar | string[] };
export type Outcome = "passed" | "failed" | "usage-error" | "sign-in-required";

export interface StepError {
  code: string;
  message: string;
  suggestion?: string;
  explanations: Explanation[];
}

export interface StepResult {
  id: StepId;
  title: string;
  attempt: number;
  status: StepStatus;
  durationMs: number;
  summary: string;
  evidence: Record<string, EvidenceValue>;
  notes: string[];
  error?: StepError;
}

export interface ReportOptions {
  strict: boolean;
  resourceParameter: boolean;
  fresh: boolean;
  probe: boolean;
  requireAuth: boolean;
}

/** The server under test: reached by URL (the authorization flow runs), or started over stdio. */
export type ReportHeader =
  | { serverUrl: string; resource: string; options: ReportOptions }
  | { stdio: StdioServerInfo };

/** The MCP revision asked for (--protocol) and the one the server speaks. */
export interface ProtocolInfo {
  requested: ProtocolChoice;
  /** The negotiated revision, e.g. 2026-07-28 or 2025-11-25; null until a session opened. */
  version: string | null;
  /** modern: 2026-07-28 and later (per-request metadata); legacy: the 2025 initialize handshake. */
  era: "modern" | "legacy" | null;
}

export interface StdioServerInfo {
  /** The command and its arguments, as started (no shell). */
  command: string[];
  cwd: string;
}

export interface TestFlowReport {
  schemaVersion: 2;
  command: "test-flow";
  transport: "streamable-http" | "stdio";
  /** Streamable HTTP only. */
  serverUrl?: string;
  resource?: string;
  authorizationServer?: { issuer: string; kind: string } | null;
  options?: ReportOptions;
  protocol: ProtocolInfo;
  /** stdio only. */
  stdio?: StdioServerInfo;
  startedAt: string;
  durationMs: number;
  outcome: Outcome;
  exitCode: 0 | 1 | 2 | 3;
  signIn: { method: string; reason: string } | null;
  steps: StepResult[];
  notes: string[];
}

/** What a step's body records while it runs. */
export interface StepContext {
  evidence(key: string, value: EvidenceValue | undefined): void;
  note(text: string): void;
  summary(text: string): void;
  /** The step ends as `retried` instead of `passed` (step-up follows). */
  retried(summary: string): void;
  /** The step found it cannot run here: it ends as `skipped`, and the summary says why. */
  skipped(reason: string): void;
}

export interface ProgressListener {
  started(title: string): void;
  finished(step: StepResult): void;
}

const OUTCOME_BY_EXIT: Record<number, Outcome> = { 1: "failed", 2: "usage-error", 3: "sign-in-required" };

export class ReportBuilder {
  private readonly steps: StepResult[] = [];
  private readonly notes: string[] = [];
  private readonly secrets = new Set<string>();
  private readonly failures = new WeakSet<object>();
  private readonly started = Date.now();
  private exitCode: 0 | 1 | 2 | 3 = 0;
  authorizationServer: TestFlowReport["authorizationServer"] = null;
  signIn: TestFlowReport["signIn"] = null;
  readonly protocol: ProtocolInfo;

  constructor(
    private readonly header: ReportHeader,
    private readonly progress?: ProgressListener,
    requested: ProtocolChoice = "auto",
  ) {
    this.protocol = { requested, version: null, era: null };
  }

  private get stdio(): boolean {
    return "stdio" in this.header;
  }

  /** Registers a value that must never appear in the report (tokens, secrets, codes). */
  secret(value: string | undefined): void {
    if (value && value.length >= 6) this.secrets.add(value);
  }

  note(text: string): void {
    this.notes.push(text);
  }

  attemptOf(id: StepId): number {
    return this.steps.filter((step) => step.id === id).length + 1;
  }

  /** Runs one step; a failure is recorded and rethrown (the flow stops). */
  async run<T>(id: StepId, body: (step: StepContext) => Promise<T>): Promise<T> {
    const title = STEP_TITLES[id];
    const result: StepResult = {
      id,
      title,
      attempt: this.attemptOf(id),
      status: "passed",
      durationMs: 0,
      summary: "",
      evidence: {},
      notes: [],
    };
    const context: StepContext = {
      evidence: (key, value) => {
        if (value !== undefined) result.evidence[key] = value;
      },
      note: (text) => void result.notes.push(text),
      summary: (text) => {
        result.summary = text;
      },
      retried: (summary) => {
        result.status = "retried";
        result.summary = summary;
      },
      skipped: (reason) => {
        result.status = "skipped";
        result.summary = reason;
      },
    };
    this.progress?.started(result.attempt > 1 ? `${title} (attempt ${result.attempt})` : title);
    const start = performance.now();
    try {
      return await body(context);
    } catch (error) {
      result.status = "failed";
      result.error = stepError(error);
      result.summary = result.error.message;
      if (error && typeof error === "object") this.failures.add(error);
      this.recordFailure(error);
      throw error;
    } finally {
      result.durationMs = Math.round(performance.now() - start);
      this.steps.push(result);
      this.progress?.finished(this.redact(result));
    }
  }

  skip(id: StepId, summary: string, evidence: Record<string, EvidenceValue> = {}): void {
    const step: StepResult = {
      id,
      title: STEP_TITLES[id],
      attempt: this.attemptOf(id),
      status: "skipped",
      durationMs: 0,
      summary,
      evidence,
      notes: [],
    };
    this.steps.push(step);
    this.progress?.finished(this.redact(step));
  }

  /**
   * The flow stopped on `error`: a failure no step recorded gets a note (its message and fix), and the
   * report's exit code follows the first failure.
   */
  stopped(error: unknown): void {
    if (!(error && typeof error === "object" && this.failures.has(error))) {
      const suggestion =
        error instanceof McpEntraError && error.suggestion ? ` Fix: ${error.suggestion}` : "";
      this.note(`Stopped: ${(error as Error).message}${suggestion}`);
    }
    this.recordFailure(error);
  }

  private recordFailure(error: unknown): void {
    const code = error instanceof McpEntraError ? error.exitCode : 1;
    const exit = (code === 2 || code === 3 ? code : 1) as 1 | 2 | 3;
    if (this.exitCode === 0) this.exitCode = exit;
  }

  /** Whether a step ran (or was skipped) already, and its last status. */
  status(id: StepId): StepStatus | undefined {
    return this.steps.findLast((step) => step.id === id)?.status;
  }

  /** Records the flow steps that did not run (an earlier one failed) as skipped. */
  skipUnrun(): void {
    const recorded = new Set(this.steps.map((step) => step.id));
    const requireAuth = "options" in this.header && this.header.options.requireAuth;
    const ids = this.stdio ? STDIO_STEPS : { ...FLOW_STEPS, ...(requireAuth ? REQUIRE_AUTH_STEP : {}) };
    for (const id of Object.keys(ids) as StepId[]) {
      if (!recorded.has(id)) this.skip(id, "Not run: an earlier step failed.");
    }
  }

  finish(): TestFlowReport {
    this.skipUnrun();
    if (this.exitCode === 0 && this.steps.some((step) => step.status === "failed")) this.exitCode = 1;
    return this.redact({
      schemaVersion: 2,
      command: "test-flow",
      transport: this.stdio ? "stdio" : "streamable-http",
      ...this.header,
      protocol: this.protocol,
      ...(this.stdio ? {} : { authorizationServer: this.authorizationServer }),
      startedAt: new Date(this.started).toISOString(),
      durationMs: Date.now() - this.started,
      outcome: OUTCOME_BY_EXIT[this.exitCode] ?? "passed",
      exitCode: this.exitCode,
      signIn: this.signIn,
      steps: this.steps,
      notes: this.notes,
    });
  }

  /** A deep copy with every registered secret replaced. */
  redact<T>(value: T): T {
    const secrets = [...this.secrets].sort((a, b) => b.length - a.length);
    const scrub = (text: string) =>
      secrets.reduce((acc, secret) => acc.split(secret).join("[redacted]"), text);
    return JSON.parse(JSON.stringify(value), (_key, item) =>
      typeof item === "string" ? scrub(item) : item,
    ) as T;
  }
}

/** What the report is about, in one line: the server URL, or the stdio command. */
export function reportTarget(report: Pick<TestFlowReport, "serverUrl" | "stdio">): string {
  if (report.stdio) return `--stdio ${formatCommandLine(report.stdio.command)}`;
  return report.serverUrl ?? "";
}

function stepError(error: unknown): StepError {
  const message = errorMessage(error);
  const code = error instanceof McpEntraError ? error.code : "FAILED";
  return {
    code,
    message,
    suggestion: error instanceof McpEntraError ? error.suggestion : undefined,
    explanations: explanationsIn(message, code),
  };
}

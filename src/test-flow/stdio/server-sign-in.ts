import { setTimeout as pause } from "node:timers/promises";
import type { CallToolResult } from "@modelcontextprotocol/client";
import { OperationError, SignInRequiredError } from "../../core/errors.js";
import type { StepContext } from "../report/report.js";
import { scrubTokens } from "../scrub-tokens.js";
import { toolText } from "../steps/call.js";
import { looksLikeSignIn } from "./server-stderr.js";

/**
 * Without a person, how long a sign-in the server started may take to finish by itself (a dev tenant
 * with auto-approve approves a device code at once; the server's next poll, Entra's interval being
 * 5 s, then gets the token). Bounded by --timeout.
 */
export const UNATTENDED_SIGN_IN_MS = 30_000;
/** "…enter the code ABCD1234…": the device code a person types, the same whichever way it was worded. */
const USER_CODE = /\bcode:?\s+([A-Z0-9]{4,}(?:-[A-Z0-9]{4,})?)\b/;
/** The least time between two calls that check whether the server has signed in. */
const RECHECK_MS = 2_000;
const MAX_TOLD = 500;

export interface ServerSignInOptions {
  /** A person can sign in (stdin and stderr are terminals). */
  personPresent: boolean;
  /** Shows a line the person must see, even with --json (stderr). */
  tell(text: string): void;
  /** The flow's deadline (--timeout), and when it strikes (epoch ms). */
  deadline: AbortSignal;
  deadlineAt: number;
  timeoutSeconds: number;
}

/**
 * A stdio server that signs in to Entra itself asks for the sign-in on stderr (a device code message)
 * or in a tool's answer ("open … and enter the code …"). Each instruction is told to the person once,
 * scrubbed of anything shaped like a token. With a person present test-flow waits for the sign-in
 * until --timeout; without one the sign-in gets UNATTENDED_SIGN_IN_MS (within --timeout) to finish by
 * itself, then every request still pending through `bounded()` ends with exit code 3.
 */
export class ServerSignIn {
  private readonly instructions: string[] = [];
  private readonly told = new Set<string>();
  private count = 0;
  private timer?: NodeJS.Timeout;
  private rejectUnattended: (error: Error) => void = () => {};
  private readonly unattended: Promise<never>;

  constructor(private readonly options: ServerSignInOptions) {
    this.unattended = new Promise<never>((_resolve, reject) => {
      this.rejectUnattended = reject;
    });
    this.unattended.catch(() => undefined);
  }

  /** A sign-in instruction from the server (a stderr line or a tool's answer). */
  instruction(text: string): void {
    const clean = scrubTokens(text).trim().slice(0, MAX_TOLD);
    this.count++;
    const key = userCode(clean) ?? clean;
    if (!this.told.has(key)) {
      this.told.add(key);
      this.instructions.push(clean);
      this.options.tell(`The server asks for a sign-in: ${clean}`);
    }
    if (!this.options.personPresent) this.startUnattendedClock();
  }

  /** Instructions so far: pass it to `asksForSignIn` after a call. */
  mark(): number {
    return this.count;
  }

  /**
   * Whether a tool's answer is the server asking for a sign-in: an error whose text says how to sign
   * in, or an error while the server wrote sign-in instructions to stderr (since `mark`).
   */
  asksForSignIn(result: CallToolResult, mark: number): boolean {
    if (!result.isError) return false;
    const text = toolText(result);
    if (text !== undefined && looksLikeSignIn(text)) {
      this.instruction(text);
      return true;
    }
    return this.count > mark;
  }

  /** A request that, without a person, ends with exit code 3 once a sign-in has waited too long. */
  bounded<T>(request: Promise<T>): Promise<T> {
    return Promise.race([request, this.unattended]);
  }

  /**
   * The server-sign-in step: repeats the call (at most every 2 s; a server that signs in may also hold
   * the call a while) until its answer no longer asks for a sign-in, and returns that answer.
   */
  async complete(step: StepContext, call: () => Promise<CallToolResult>): Promise<CallToolResult> {
    const started = Date.now();
    step.evidence("instructions", [...this.instructions]);
    step.evidence("person", this.options.personPresent ? "present (terminal)" : "none (no terminal)");
    if (this.options.personPresent) {
      const left = Math.max(0, Math.round((this.options.deadlineAt - started) / 1000));
      this.options.tell(`Waiting for you to sign in (--timeout: ${left} s left)…`);
    }
    try {
      for (let calls = 1; ; calls++) {
        const began = Date.now();
        const mark = this.mark();
        const result = await this.bounded(call());
        if (!this.asksForSignIn(result, mark)) {
          this.finished();
          step.evidence("instructions", [...this.instructions]);
          step.evidence("calls", calls);
          step.summary(`The server signed in (${((Date.now() - started) / 1000).toFixed(1)} s)`);
          return result;
        }
        const wait = RECHECK_MS - (Date.now() - began);
        if (wait > 0)
          await this.bounded(pause(wait, undefined, { signal: this.options.deadline, ref: false }));
      }
    } catch (error) {
      step.evidence("instructions", [...this.instructions]);
      if (!this.options.deadline.aborted || error instanceof SignInRequiredError) throw error;
      throw new OperationError(
        "SIGN_IN_TIMEOUT",
        `Nobody signed in within --timeout (${this.options.timeoutSeconds} s).`,
        { cause: error, suggestion: "Sign in as the server's message says, or raise --timeout." },
      );
    }
  }

  /** The sign-in is over: the unattended clock stops. */
  finished(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private startUnattendedClock(): void {
    if (this.timer) return;
    const ms = Math.min(UNATTENDED_SIGN_IN_MS, this.options.deadlineAt - Date.now() - 1_000);
    this.timer = setTimeout(
      () => {
        const waited = Math.round(Math.max(ms, 0) / 1000);
        this.rejectUnattended(
          new SignInRequiredError(
            "SERVER_SIGN_IN_REQUIRED",
            `The server needs someone to sign in, and nobody can here (no terminal): it did not finish signing in within ${waited} s.`,
            {
              suggestion:
                "Run test-flow once on a terminal and sign in as the server asks (it caches the sign-in for later runs), or run the server against a dev tenant with auto-approve on (mcp-entra tenant start --auto-approve).",
            },
          ),
        );
      },
      Math.max(ms, 0),
    );
  }
}

/** The user code of a device code instruction, so one sign-in told on stderr and in an answer shows once. */
function userCode(text: string): string | undefined {
  return USER_CODE.exec(text)?.[1];
}

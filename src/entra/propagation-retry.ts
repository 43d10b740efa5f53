import { sleep } from "../core/wait.js";
import { aadstsCodesIn } from "./aadsts.js";

/**
 * Entra's token service learns of writes some seconds after Graph accepted them: a new secret is
 * refused as unknown (AADSTS7000215), a new app or service principal is not found (700016, 7000229,
 * 500011), a new federated credential does not match (70021), a new consent grant is missing
 * (65001). Whatever uses a fresh credential or grant at once (test-flow right after register, login
 * after --create-app, the CI smoke step) goes through `retryWhilePropagating`: bounded retries with
 * backoff, and a record of the wait for the report.
 * (learn.microsoft.com/entra/identity-platform/reference-error-codes; "changes can take a few
 * minutes to propagate" on the Graph app-registration pages.)
 */
export const PROPAGATION_CODES: ReadonlySet<number> = new Set([
  7000215, 700016, 7000229, 500011, 70021, 65001,
]);

/** The default bound of the whole wait: Entra usually propagates within seconds, rarely a minute. */
export const DEFAULT_PROPAGATION_WAIT_MS = 60_000;

export interface PropagationWait {
  /** Failed attempts before the one that succeeded (or the last one). */
  retries: number;
  waitedMs: number;
  /** The AADSTS code that was retried (the last one seen). */
  code: number;
}

export interface PropagationRetryOptions {
  /** The bound of the whole wait (ms); 0 turns retries off. */
  maxWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Called before each wait. */
  onWait?: (event: { code: number; retry: number; delayMs: number }) => void;
}

/** The AADSTS code of a propagation symptom in an error (msal's, ours, or one they wrap), if any. */
export function propagationCode(error: unknown): number | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const text = [(current as { errorMessage?: unknown }).errorMessage, (current as Error).message]
      .filter((part): part is string => typeof part === "string")
      .join(" ");
    const code = aadstsCodesIn(text).find((found) => PROPAGATION_CODES.has(found));
    if (code) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Runs `call`, and again after 1, 2, 4, 8… s (at most 8 s apart) while it fails with a propagation
 * symptom, until `maxWaitMs` is spent. Resolves with the value and the wait (undefined when the first
 * attempt succeeded); rejects with the last error, annotated with the wait as `propagationWait`.
 */
export async function retryWhilePropagating<T>(
  call: () => Promise<T>,
  options: PropagationRetryOptions = {},
): Promise<{ value: T; wait?: PropagationWait }> {
  const maxWaitMs = options.maxWaitMs ?? DEFAULT_PROPAGATION_WAIT_MS;
  const pause = options.sleep ?? sleep;
  let waitedMs = 0;
  let wait: PropagationWait | undefined;
  for (let retry = 1; ; retry++) {
    try {
      return { value: await call(), wait };
    } catch (error) {
      const code = propagationCode(error);
      const delayMs = Math.min(8_000, 1_000 * 2 ** (retry - 1), maxWaitMs - waitedMs);
      if (code === undefined || delayMs <= 0) {
        if (wait && error && typeof error === "object") Object.assign(error, { propagationWait: wait });
        throw error;
      }
      options.onWait?.({ code, retry, delayMs });
      await pause(delayMs);
      waitedMs += delayMs;
      wait = { retries: retry, waitedMs, code };
    }
  }
}

/** The wait an error from `retryWhilePropagating` carries, if it waited. */
export function propagationWaitOf(error: unknown): PropagationWait | undefined {
  return (error as { propagationWait?: PropagationWait } | undefined)?.propagationWait;
}

/** One line for reports: "waited 3 s (2 retries) while Entra answered AADSTS7000215 (…)". */
export function describePropagationWait(wait: PropagationWait): string {
  const seconds = Math.round(wait.waitedMs / 100) / 10;
  return `waited ${seconds} s (${wait.retries} ${wait.retries === 1 ? "retry" : "retries"}) while Entra answered AADSTS${wait.code}: a credential or grant written moments ago propagates to its token service within seconds to a minute`;
}

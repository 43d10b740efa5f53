import { errorMessage, OperationError } from "../core/errors.js";
import { type GraphFailure, graphFailure, hasCode } from "./graph-failure.js";

/**
 * Retries for Graph calls: throttling (429) and unavailability (503/504) always, honouring
 * Retry-After; replication delay (the object was created moments ago and this replica does not
 * know it yet) only for the calls that say so. Bounded exponential backoff with full jitter, and one
 * deadline for the whole run so a broken tenant fails in bounded time.
 */
export interface RetryPolicy {
  /** Absolute time (ms since epoch) after which no retry starts. */
  deadline: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  onRetry?: (event: { label: string; attempt: number; delayMs: number; failure: GraphFailure }) => void;
}

export function retryPolicy(overrides: Partial<RetryPolicy> & { timeoutMs?: number } = {}): RetryPolicy {
  const { timeoutMs = 180_000, ...rest } = overrides;
  return {
    deadline: Date.now() + timeoutMs,
    baseDelayMs: 250,
    maxDelayMs: 10_000,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    random: Math.random,
    ...rest,
  };
}

/**
 * The errors Graph returns for an object that exists but has not replicated yet. A grant or an app
 * role assignment naming a principal Graph does not see yet is refused as an invalid `clientId`/
 * `resourceId`/`principalId` or "Not a valid reference update": register only sends ids it has just
 * read or created, so for it these mean "not replicated yet".
 */
export function isReplicationDelay(failure: GraphFailure): boolean {
  return (
    (failure.status === 404 && hasCode(failure, "Request_ResourceNotFound")) ||
    hasCode(failure, "NoBackingApplicationObject") ||
    (failure.status === 403 &&
      hasCode(failure, "Authorization_RequestDenied") &&
      /local tenant|replicat/i.test(failure.message)) ||
    (failure.status === 400 &&
      /does not exist|not found|doesn't exist|not a valid reference update|invalid value specified for property '(clientId|resourceId|principalId)'/i.test(
        failure.message,
      ))
  );
}

export async function withRetry<T>(
  label: string,
  call: () => Promise<T>,
  policy: RetryPolicy,
  options: { replication?: boolean } = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const failure = graphFailure(error);
      if (!failure) throw error;
      const transient = failure.status === 429 || failure.status === 503 || failure.status === 504;
      const replicating = options.replication === true && isReplicationDelay(failure);
      if (!transient && !replicating) throw error;
      const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1)) * policy.random();
      const delayMs = Math.max(backoff, (failure.retryAfterSeconds ?? 0) * 1000);
      if (Date.now() + delayMs > policy.deadline) {
        throw new OperationError(
          "GRAPH_RETRY_DEADLINE",
          `${label} kept failing until the deadline: ${errorMessage(error)}`,
          {
            suggestion: "try again later; the run is safe to repeat and resumes where this one stopped.",
            cause: error,
          },
        );
      }
      policy.onRetry?.({ label, attempt, delayMs, failure });
      await policy.sleep(delayMs);
    }
  }
}

/**
 * One error hierarchy for the whole CLI. Every error carries a stable `code`, the process exit code
 * it maps to, and a `suggestion` that tells the user what to do next.
 */
export interface ErrorDetails {
  suggestion?: string;
  cause?: unknown;
}

export abstract class McpEntraError extends Error {
  abstract readonly exitCode: number;
  readonly suggestion?: string;

  constructor(
    readonly code: string,
    message: string,
    details: ErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.suggestion = details.suggestion;
  }
}

/** Bad input or usage: exit code 2. */
export class UsageError extends McpEntraError {
  readonly exitCode = 2;
}

/** The operation was attempted and failed: exit code 1. */
export class OperationError extends McpEntraError {
  readonly exitCode = 1;
}

/** A sign-in is needed but cannot happen without a person: exit code 3. */
export class SignInRequiredError extends McpEntraError {
  readonly exitCode = 3;
}

/** A usage error about one flag, worded the same way everywhere. */
export function invalidFlag(flag: string, problem: string, suggestion: string): UsageError {
  return new UsageError("INVALID_FLAG", `${flag}: ${problem}`, { suggestion });
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

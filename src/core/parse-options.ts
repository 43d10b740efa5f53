import { access, constants } from "node:fs/promises";
import type { z } from "zod";
import { UsageError } from "../core/errors.js";

/**
 * Validates a command's options with its zod schema. Every problem is reported at once, each
 * naming its flag, in one line: `--port: must be an integer from 0 to 65535; --user: ...`.
 */
export function parseOptions<S extends z.ZodType>(schema: S, raw: unknown, fix?: string): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    // The flag itself: `scope.0` (an item of a repeatable flag) is `--scope`.
    const key = issue.path[0];
    return key !== undefined ? `${flagName(String(key))}: ${issue.message}` : issue.message;
  });
  throw new UsageError("INVALID_OPTIONS", problems.join("; "), {
    suggestion: fix ?? "correct the flag and run again (see --help for the accepted values).",
  });
}

/** `clientId` → `--client-id` */
export function flagName(key: string): string {
  return `--${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

/**
 * For `z.preprocess` before `z.coerce.number()`: a blank flag value becomes NaN (refused) instead of
 * 0 — `--port "$PORT"` with PORT unset must not quietly mean "any port".
 */
export function blankAsNaN(value: unknown): unknown {
  return typeof value === "string" && value.trim() === "" ? Number.NaN : value;
}

/** Files named by flags (flag → path; unset ones skipped) must be readable: else a usage error naming the flag. */
export async function checkReadableFiles(files: Record<string, string | undefined>): Promise<void> {
  for (const [flag, file] of Object.entries(files)) {
    if (!file) continue;
    await access(file, constants.R_OK).catch((error: NodeJS.ErrnoException) => {
      throw new UsageError("INVALID_FLAG", `${flag}: cannot read ${file} (${error.code ?? error.message})`, {
        suggestion: "pass a file that exists and is readable.",
      });
    });
  }
}

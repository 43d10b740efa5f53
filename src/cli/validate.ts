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
    const key = issue.path.map(String).join(".");
    return key ? `${flagName(key)}: ${issue.message}` : issue.message;
  });
  throw new UsageError("INVALID_OPTIONS", problems.join("; "), {
    suggestion: fix ?? "correct the flag and run again (see --help for the accepted values).",
  });
}

/** `clientId` → `--client-id` */
export function flagName(key: string): string {
  return `--${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

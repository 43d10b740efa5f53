import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { scrubTokens } from "../scrub-tokens.js";

const MAX_KEPT = 500;
const MAX_LINE = 300;
const MAX_PER_STEP = 20;

/**
 * What a stdio server writes to stderr: its logs, and — for servers that sign in themselves — the
 * sign-in instructions (a device code message, a URL to open). Each line is made readable (a JSON log
 * line becomes its `message` and `url`), scrubbed of anything shaped like a token, and kept for the
 * report; lines that look like sign-in instructions are passed on to the person as they come.
 */
export class ServerStderr {
  private readonly lines: string[] = [];
  private taken = 0;
  private ended?: Promise<void>;

  constructor(private readonly onSignInLine: (text: string) => void) {}

  attach(stream: Readable): void {
    const lines = createInterface({ input: stream });
    lines.on("line", (line) => this.add(line));
    this.ended = new Promise((resolve) => lines.once("close", resolve));
  }

  /** Waits until the stream has ended (every line read), at most `ms`: before the tail of a failure is taken. */
  async drained(ms = 500): Promise<void> {
    if (!this.ended) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.ended, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
    clearTimeout(timer);
  }

  add(raw: string): void {
    const { level, message } = readable(raw);
    const text = scrubTokens(level ? `${level}: ${message}` : message).trim();
    if (!text) return;
    this.lines.push(text.length > MAX_LINE ? `${text.slice(0, MAX_LINE)}…` : text);
    if (this.lines.length > MAX_KEPT) {
      this.lines.shift();
      this.taken = Math.max(0, this.taken - 1);
    }
    if (looksLikeSignIn(text)) this.onSignInLine(scrubTokens(message).trim());
  }

  /** The lines since the last call (at most 20: the last ones), for the evidence of a step. */
  take(): string[] | undefined {
    const fresh = this.lines.slice(this.taken);
    this.taken = this.lines.length;
    if (fresh.length === 0) return undefined;
    if (fresh.length <= MAX_PER_STEP) return fresh;
    return [`(${fresh.length - MAX_PER_STEP} earlier lines left out)`, ...fresh.slice(-MAX_PER_STEP)];
  }
}

/** A JSON log line as its level and `message url`; anything else as it is. */
function readable(line: string): { level?: string; message: string } {
  if (!line.trimStart().startsWith("{")) return { message: line };
  try {
    const value = JSON.parse(line) as Record<string, unknown>;
    if (typeof value.message !== "string") return { message: line };
    const url = typeof value.url === "string" ? ` ${value.url}` : "";
    return {
      level: typeof value.level === "string" ? value.level : undefined,
      message: `${value.message}${url}`,
    };
  } catch {
    return { message: line };
  }
}

/** Sign-in words together with a URL: a device code message, "sign in at https://…". */
export function looksLikeSignIn(text: string): boolean {
  return (
    /\b(sign[ -]?in|log[ -]?in|devicelogin|device code|enter the code|authenticat)/i.test(text) &&
    /https?:\/\/\S+/i.test(text)
  );
}

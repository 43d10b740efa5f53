/**
 * Ours because the SDK says what it skips or distrusts (a tool whose `x-mcp-header` declarations are
 * invalid, an unstamped credential) only through `console.warn`: while a flow runs, its `[mcp-sdk]`
 * warnings are collected for the report instead of reaching the terminal; other warnings pass through.
 */
const PREFIX = "[mcp-sdk] ";

export class SdkWarnings {
  private readonly collected: string[] = [];
  private taken = 0;
  private original?: typeof console.warn;

  start(): this {
    if (this.original) return this;
    const original = console.warn;
    this.original = original;
    console.warn = (...args: unknown[]) => {
      const [first] = args;
      if (typeof first === "string" && first.startsWith(PREFIX))
        this.collected.push(first.slice(PREFIX.length));
      else original.apply(console, args);
    };
    return this;
  }

  stop(): void {
    if (this.original) console.warn = this.original;
    this.original = undefined;
  }

  /** The warnings since the last call. */
  take(): string[] {
    const fresh = this.collected.slice(this.taken);
    this.taken = this.collected.length;
    return fresh;
  }
}

/** A tool tools/list left out (SEP-2243: invalid `x-mcp-header` declarations), from the SDK's warning. */
export function skippedTool(warning: string): { name: string; reason: string } | undefined {
  const match = /^excluding tool '([^']*)' from tools\/list: (.*)$/s.exec(warning);
  return match ? { name: match[1]!, reason: match[2]! } : undefined;
}

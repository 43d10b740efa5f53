/**
 * Finds ledger values (secrets and tokens the dev tenant issued) in captured outputs, fast enough for
 * tens of thousands of values against megabytes of output: every value is made of the characters
 * below, so it can only sit inside a run of them; runs shorter than the shortest value are skipped and
 * longer ones are probed by the last PROBE characters of each value (random, unlike JWT headers).
 */

const RUN = /[A-Za-z0-9._~-]+/g;
const VALUE = /^[A-Za-z0-9._~-]+$/;
const PROBE = 16;

export interface Leak {
  file: string;
  /** The leaked value, shortened: enough to recognise it, not enough to use it. */
  value: string;
}

export class LeakScanner {
  private readonly bySuffix = new Map<string, string[]>();
  private readonly minLength: number;
  readonly size: number;

  constructor(ledger: string) {
    const values = new Set(
      ledger
        .split("\n")
        .map((line) => line.trim())
        .filter((line) => line.length >= PROBE && VALUE.test(line)),
    );
    for (const value of values) {
      const suffix = value.slice(-PROBE);
      const list = this.bySuffix.get(suffix);
      if (list) list.push(value);
      else this.bySuffix.set(suffix, [value]);
    }
    this.size = values.size;
    this.minLength = Math.min(...[...values].map((value) => value.length));
  }

  /** The ledger values in `text` (URL-escaped `~` counts too). */
  find(text: string): string[] {
    if (this.size === 0) return [];
    const found = new Set<string>();
    for (const [run] of text.replace(/%7e/gi, "~").matchAll(RUN)) {
      if (run.length < this.minLength) continue;
      for (let end = PROBE; end <= run.length; end++) {
        const candidates = this.bySuffix.get(run.slice(end - PROBE, end));
        if (!candidates) continue;
        for (const value of candidates) {
          if (end >= value.length && run.slice(end - value.length, end) === value) found.add(value);
        }
      }
    }
    return [...found];
  }
}

/** A value shown in a report: its first and last characters. */
export function redact(value: string): string {
  return `${value.slice(0, 6)}…${value.slice(-4)} (${value.length} chars)`;
}

/** The dev tenant's notion of "now". Tests move it forward to provoke expiry without waiting. */
export class Clock {
  private offsetMs = 0;

  /** `source` is the real time by default; a fixed source makes a clock that moves only when told. */
  constructor(private readonly source: () => number = Date.now) {}

  now(): number {
    return this.source() + this.offsetMs;
  }

  nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  iso(): string {
    return new Date(this.now()).toISOString();
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

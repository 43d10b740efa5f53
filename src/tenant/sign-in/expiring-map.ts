const MIN_FULL_SWEEP = 64;

/** A map whose entries disappear at their own time (measured on the tenant's clock). */
export class Expiring<T> {
  private readonly entries = new Map<string, { value: T; dropAt: number }>();
  /** The size at which `set` next sweeps every entry. */
  private sweepAt = MIN_FULL_SWEEP;

  /**
   * Adds an entry and drops expired ones. A map's entries mostly expire in the order they were set
   * (one lifetime per kind of record), so only the expired ones at the front are dropped each time;
   * every entry is looked at only when the map has doubled since the last full sweep, so a set costs
   * the same however many entries are alive (a tenant under load holds thousands of sessions).
   */
  set(key: string, value: T, dropAt: number, now: number): void {
    for (const [candidate, entry] of this.entries) {
      if (entry.dropAt > now) break;
      this.entries.delete(candidate);
    }
    if (this.entries.size >= this.sweepAt) {
      for (const [candidate, entry] of this.entries) {
        if (entry.dropAt <= now) this.entries.delete(candidate);
      }
      this.sweepAt = Math.max(MIN_FULL_SWEEP, 2 * this.entries.size);
    }
    this.entries.set(key, { value, dropAt });
  }

  get(key: string | undefined, now: number): T | undefined {
    if (key === undefined) return undefined;
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.dropAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  find(predicate: (value: T) => boolean, now: number): T | undefined {
    for (const [key, entry] of this.entries) {
      if (entry.dropAt > now && predicate(entry.value)) return this.get(key, now);
    }
    return undefined;
  }
}

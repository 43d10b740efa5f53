import { type OneTimeKind, type OneTimeRecords, RECORD_TTL_MS } from "./proxy-store.js";

/** How many records of a kind the memory holds: in all, and for one group (a client). */
export interface RecordLimits {
  total: number;
  perGroup: number;
}

/**
 * Enough for a busy single instance (a sign-in takes a few hundred bytes) and small enough that a
 * flood cannot exhaust memory. A flood through one client blocks only that client's new sign-ins,
 * for as long as it lasts; it never ends the sign-ins already in progress.
 */
export const DEFAULT_LIMITS: RecordLimits = { total: 10_000, perGroup: 1_000 };

interface Entry {
  value: unknown;
  expiresAt: number;
  group?: string;
}

/**
 * The proxy's one-time records in this process's memory (one instance; a restart asks users in the
 * middle of a sign-in to start again). JavaScript runs one request at a time between awaits, so
 * take() is atomic here as the store interface requires.
 */
export class MemoryRecords {
  private readonly kinds = new Map<OneTimeKind, Map<string, Entry>>();
  private readonly groups = new Map<string, number>();

  constructor(
    private readonly now: () => number,
    private readonly limits: RecordLimits = DEFAULT_LIMITS,
  ) {}

  add<K extends OneTimeKind>(kind: K, key: string, value: OneTimeRecords[K], group?: string): boolean {
    this.remove(kind, key);
    if (this.full(kind, group)) {
      this.sweep(kind, true);
      if (this.full(kind, group)) return false;
    }
    this.put(kind, key, { value, expiresAt: this.now() + RECORD_TTL_MS[kind], group });
    return true;
  }

  get<K extends OneTimeKind>(kind: K, key: string): OneTimeRecords[K] | undefined {
    const entry = this.entries(kind).get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.remove(kind, key);
      return undefined;
    }
    return entry.value as OneTimeRecords[K];
  }

  take<K extends OneTimeKind>(
    kind: K,
    key: string,
    leave?: { value: OneTimeRecords[K]; ttlMs: number },
  ): OneTimeRecords[K] | undefined {
    const value = this.get(kind, key);
    this.remove(kind, key);
    // A trace is kept only for what was there, and only while there is room.
    if (value !== undefined && leave && !this.full(kind, undefined)) {
      this.put(kind, key, { value: leave.value, expiresAt: this.now() + leave.ttlMs });
    }
    return value;
  }

  private entries(kind: OneTimeKind): Map<string, Entry> {
    let entries = this.kinds.get(kind);
    if (!entries) {
      entries = new Map();
      this.kinds.set(kind, entries);
    }
    return entries;
  }

  private full(kind: OneTimeKind, group: string | undefined): boolean {
    this.sweep(kind, false);
    if (this.entries(kind).size >= this.limits.total) return true;
    return group !== undefined && (this.groups.get(`${kind} ${group}`) ?? 0) >= this.limits.perGroup;
  }

  private put(kind: OneTimeKind, key: string, entry: Entry): void {
    this.entries(kind).set(key, entry);
    if (entry.group !== undefined) {
      const name = `${kind} ${entry.group}`;
      this.groups.set(name, (this.groups.get(name) ?? 0) + 1);
    }
  }

  private remove(kind: OneTimeKind, key: string): void {
    const entries = this.entries(kind);
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    if (entry.group === undefined) return;
    const name = `${kind} ${entry.group}`;
    const count = (this.groups.get(name) ?? 1) - 1;
    if (count > 0) this.groups.set(name, count);
    else this.groups.delete(name);
  }

  /**
   * Drops expired entries: from the oldest until one is still valid (entries of a kind mostly
   * expire in the order they came), or all of them when `everything`.
   */
  private sweep(kind: OneTimeKind, everything: boolean): void {
    const now = this.now();
    for (const [key, entry] of this.entries(kind)) {
      if (entry.expiresAt > now) {
        if (everything) continue;
        return;
      }
      this.remove(kind, key);
    }
  }
}

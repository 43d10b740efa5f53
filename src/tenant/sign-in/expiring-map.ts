import type { AuthorizationCode } from "./authorization-codes.js";
import type { DeviceAuthorization } from "./device-authorizations.js";
import type { Session } from "./sessions.js";
import type { Transaction } from "./transactions.js";

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

/**
 * What the tenant keeps only while it runs: browser sessions, sign-in transactions, authorization
 * codes and device codes are short-lived, so a restart simply ends them (as a new Entra session would).
 * Refresh tokens are not here: they persist in the state.
 */
export class TenantMemory {
  readonly sessions = new Expiring<Session>();
  readonly transactions = new Expiring<Transaction>();
  /** By the code itself; kept past expiry so late redemptions get 70008 and replays 54005. */
  readonly codes = new Expiring<AuthorizationCode>();
  /** By device_code; kept past expiry so late polls get expired_token. */
  readonly deviceCodes = new Expiring<DeviceAuthorization>();
  /** One-time sign-in tickets (see sign-in-tickets.ts): ticket → user id. */
  readonly signInTickets = new Expiring<string>();
  /**
   * Refresh token families revoked by a replayed code. A token of the family still being issued when
   * the replay came (the code's first redemption, a refresh in flight) is not stored either.
   */
  readonly revokedFamilies = new Set<string>();
}

import type { Caller } from "./caller.js";

/**
 * Tokens this server has already validated, by their exact text, until they expire. A client sends
 * the same token for up to an hour, and checking its signature again on every request is the
 * costliest part of one. Bounded: the oldest entries make room for new ones.
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, Caller>();

  constructor(private readonly maxEntries = 1000) {}

  get(token: string): Caller | undefined {
    const caller = this.entries.get(token);
    if (caller && caller.expiresAt * 1000 > Date.now()) return caller;
    if (caller) this.entries.delete(token);
    return undefined;
  }

  remember(caller: Caller): void {
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(caller.token, caller);
  }
}

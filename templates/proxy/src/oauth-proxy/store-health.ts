import type { Logger } from "../logger.js";

/**
 * The store could not be reached (or did not answer in time): the proxy cannot check what it was
 * asked, so it answers 503 with Retry-After and accepts nothing (oauth-error.ts).
 */
export class StoreUnavailableError extends Error {
  override readonly name = "StoreUnavailableError";
  constructor() {
    super("The proxy's store cannot be reached.");
  }
}

/** Seconds a client is told to wait when the store is unreachable. */
export const STORE_RETRY_AFTER_SECONDS = 5;

/**
 * Whether the store is reachable, as the requests and the connection see it. It logs each change
 * once — one line when the store goes away, one when it is back — however many requests fail in
 * between, so an outage under load does not flood the log.
 */
export class StoreHealth {
  private reachable = true;

  constructor(
    private readonly kind: string,
    private readonly log: Logger,
  ) {}

  get isReachable(): boolean {
    return this.reachable;
  }

  down(cause: unknown): void {
    if (!this.reachable) return;
    this.reachable = false;
    this.log.error("proxy store unreachable: sign-ins and token requests get 503 until it is back", {
      store: this.kind,
      error: cause instanceof Error ? cause.message : String(cause),
    });
  }

  up(): void {
    if (this.reachable) return;
    this.reachable = true;
    this.log.info("proxy store reachable again", { store: this.kind });
  }

  /** Runs a store operation: a failure marks the store down and becomes a StoreUnavailableError. */
  async guard<T>(operation: () => Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await operation();
    } catch (error) {
      this.down(error);
      throw new StoreUnavailableError();
    }
    this.up();
    return result;
  }
}

import { OperationError } from "../../core/errors.js";
import { readJsonFile, writeJsonFileAtomic } from "../../core/fs.js";
import type { TenantState } from "./tenant-state.js";

/**
 * Holds the tenant's state in memory and persists it to one JSON file. Changes are applied
 * synchronously (so concurrent requests never interleave inside a change) and written with
 * write-then-rename; writes that pile up while one is in flight are coalesced into the next.
 * One store is the only writer of its file: the dev tenant claims its folder before opening it.
 */
export class TenantStore {
  private writing: Promise<void> | undefined;
  private dirty = false;

  private constructor(
    readonly file: string,
    private current: TenantState,
  ) {}

  static async open(file: string, seed: () => Promise<TenantState>): Promise<TenantStore> {
    const existing = await readState(file);
    if (existing) return new TenantStore(file, existing);
    const store = new TenantStore(file, await seed());
    await store.persist();
    return store;
  }

  get state(): TenantState {
    return this.current;
  }

  /** Applies a change now and resolves once it is on disk. */
  async commit<T>(change: (state: TenantState) => T): Promise<T> {
    const result = change(this.current);
    await this.persist();
    return result;
  }

  /** Replaces the whole state (reset). */
  async replace(state: TenantState): Promise<void> {
    this.current = state;
    await this.persist();
  }

  /** Resolves once everything changed so far is on disk. */
  persist(): Promise<void> {
    this.dirty = true;
    if (!this.writing) {
      this.writing = this.writeWhileDirty().finally(() => {
        this.writing = undefined;
      });
      return this.writing;
    }
    // A write is in flight with older content; wait for it and for the one that follows.
    return this.writing.then(() => (this.dirty ? this.persist() : undefined));
  }

  private async writeWhileDirty(): Promise<void> {
    while (this.dirty) {
      this.dirty = false;
      await writeJsonFileAtomic(this.file, this.current);
    }
  }
}

async function readState(file: string): Promise<TenantState | undefined> {
  try {
    return await readJsonFile<TenantState>(file);
  } catch (error) {
    // Atomic writes never leave a torn file; this one was edited or damaged by something else.
    throw new OperationError(
      "TENANT_STATE_UNREADABLE",
      `The dev tenant's state file ${file} is not valid JSON.`,
      {
        suggestion: "Repair the file, or start over with `mcp-entra tenant reset --yes`.",
        cause: error,
      },
    );
  }
}

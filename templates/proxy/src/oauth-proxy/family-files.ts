import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { RefreshFamily, RevokedFamily } from "./proxy-store.js";
import { createFileOnce, ensurePrivateDir, readOptional, writeFileAtomic } from "./state-files.js";

type FamilyRecord = RefreshFamily | RevokedFamily;

/** Family ids are the proxy's own random values (randomToken(16)); anything else never names a file. */
const FAMILY_ID = /^[A-Za-z0-9_-]{22}$/;

/**
 * Refresh-token families, one file each in `<PROXY_STATE_DIR>/refresh-tokens/` (0600, replaced
 * atomically), so that a rotation rewrites one small file. Changes to a family are queued one after
 * another in this process; files of families that expired are removed when the proxy starts and when
 * they are read.
 */
export class FamilyFiles {
  private readonly queues = new Map<string, Promise<unknown>>();

  private constructor(
    private readonly dir: string,
    private readonly now: () => number,
  ) {}

  static async open(stateDir: string, now: () => number): Promise<FamilyFiles> {
    const dir = join(stateDir, "refresh-tokens");
    await ensurePrivateDir(dir);
    const files = new FamilyFiles(dir, now);
    for (const name of await readdir(dir)) {
      const id = name.replace(/\.json$/, "");
      if (FAMILY_ID.test(id)) await files.get(id);
      else if (name.endsWith(".tmp")) await rm(join(dir, name), { force: true });
    }
    return files;
  }

  async get(id: string): Promise<FamilyRecord | undefined> {
    if (!FAMILY_ID.test(id)) return undefined;
    const text = await readOptional(this.path(id));
    if (!text) return undefined;
    const record = JSON.parse(text.toString("utf8")) as FamilyRecord;
    if (record.expiresAt > this.now()) return record;
    await rm(this.path(id), { force: true });
    return undefined;
  }

  create(family: RefreshFamily): Promise<boolean> {
    if (!FAMILY_ID.test(family.id)) throw new Error("Not a refresh-token family id");
    return this.queued(family.id, () => createFileOnce(this.path(family.id), serialize(family)));
  }

  replace(next: RefreshFamily, generation: number): Promise<boolean> {
    return this.queued(next.id, async () => {
      const current = await this.get(next.id);
      if (!current || "revoked" in current || current.generation !== generation) return false;
      await writeFileAtomic(this.path(next.id), serialize(next));
      return true;
    });
  }

  revoke(id: string, until: number): Promise<void> {
    if (!FAMILY_ID.test(id)) return Promise.resolve();
    return this.queued(id, async () => {
      const current = await this.get(id);
      const revoked: RevokedFamily = {
        id,
        revoked: true,
        expiresAt: Math.max(until, current?.expiresAt ?? 0),
      };
      await writeFileAtomic(this.path(id), serialize(revoked));
    });
  }

  private path(id: string): string {
    return join(this.dir, `${id}.json`);
  }

  private queued<T>(id: string, change: () => Promise<T>): Promise<T> {
    const next = (this.queues.get(id) ?? Promise.resolve()).catch(() => undefined).then(change);
    this.queues.set(id, next);
    void next
      .catch(() => undefined)
      .finally(() => {
        if (this.queues.get(id) === next) this.queues.delete(id);
      });
    return next;
  }
}

function serialize(record: FamilyRecord): string {
  return `${JSON.stringify(record)}\n`;
}

import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
import type { ICachePlugin } from "@azure/msal-node";
import type { Logger } from "../logger.js";

/**
 * MSAL's token cache in one file, so the user stays signed in across restarts of the server. It
 * holds refresh tokens: the file is readable by its owner only (0600, in a 0700 folder) and written
 * atomically (a temporary file renamed over it), so a crash never leaves half a cache behind.
 */
export function fileTokenCache(path: string, log: Logger): ICachePlugin {
  return {
    async beforeCacheAccess(context) {
      const text = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
        if (error.code !== "ENOENT") log.warn("cannot read the token cache", { path, error: error.code });
        return "";
      });
      if (!text) return;
      try {
        context.tokenCache.deserialize(text);
      } catch {
        // Unreadable content: start empty; the next sign-in replaces the file.
        log.warn("the token cache is not valid JSON; ignoring it", { path });
      }
    },
    async afterCacheAccess(context) {
      if (context.cacheHasChanged) await writeFileAtomic(path, context.tokenCache.serialize());
    },
  };
}

/** Writes a file with mode 0600 so that a crash at any moment leaves the old or the new content. */
export async function writeFileAtomic(path: string, data: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  const handle = await open(temporary, "wx", 0o600);
  try {
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    await rename(temporary, path);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temporary, { force: true });
    throw error;
  }
}

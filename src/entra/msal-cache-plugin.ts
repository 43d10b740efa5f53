import { readFile } from "node:fs/promises";
import type { ICachePlugin } from "@azure/msal-node";
import { writeFileAtomic } from "../core/fs.js";

/**
 * Persists an msal-node token cache to one file, readable only by its owner (0600), written
 * atomically so a crash never leaves a half-written cache.
 */
export function fileCachePlugin(path: string): ICachePlugin {
  return {
    async beforeCacheAccess(context) {
      const text = await readFile(path, "utf8").catch(() => "");
      if (text) context.tokenCache.deserialize(text);
    },
    async afterCacheAccess(context) {
      if (context.cacheHasChanged) await writeFileAtomic(path, context.tokenCache.serialize());
    },
  };
}

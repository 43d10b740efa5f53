import { ClientFile } from "./client-file.js";
import { ConsentFile } from "./consent-file.js";
import { FamilyFiles } from "./family-files.js";
import { MemoryRecords, type RecordLimits } from "./memory-records.js";
import type { ProxyStore } from "./proxy-store.js";

/**
 * The proxy's store for one instance (no REDIS_URL): sign-ins in progress and codes in memory;
 * registered clients, consents and refresh-token families in PROXY_STATE_DIR (so they survive
 * restarts). Several instances need the shared one (redis-store.ts).
 */
export async function openFileStore(
  stateDir: string,
  now: () => number,
  limits?: RecordLimits,
): Promise<ProxyStore> {
  const records = new MemoryRecords(now, limits);
  const clients = await ClientFile.open(stateDir);
  const consents = await ConsentFile.open(stateDir);
  const families = await FamilyFiles.open(stateDir, now);
  return {
    client: async (clientId) => clients.get(clientId),
    addClient: (client) => clients.add(client),
    add: async (kind, key, value, group) => records.add(kind, key, value, group),
    get: async (kind, key) => records.get(kind, key),
    take: async (kind, key, leave) => records.take(kind, key, leave),
    consent: async (userId, clientId) => consents.get(userId, clientId),
    saveConsent: (consent) => consents.save(consent),
    family: (id) => families.get(id),
    createFamily: (family) => families.create(family),
    replaceFamily: (next, generation) => families.replace(next, generation),
    revokeFamily: (id, until) => families.revoke(id, until),
    status: async () => ({ kind: "files", reachable: true }),
    close: async () => undefined,
  };
}

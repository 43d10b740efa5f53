import { join } from "node:path";
import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import { type BrowserBinding, createBrowserBinding } from "./browser-binding.js";
import { ClientStore } from "./client-store.js";
import { type ClientResolver, createClientResolver } from "./clients.js";
import { createDocumentFetch } from "./document-fetch.js";
import { createEntraTokenClient, type EntraTokenClient } from "./entra-token-client.js";
import { openFileStore } from "./file-store.js";
import { createMetadataDocuments } from "./metadata-documents.js";
import { deriveKeys, type ProxyKeys } from "./proxy-keys.js";
import type { ProxyStore } from "./proxy-store.js";
import { createRefreshTokens, type RefreshTokens } from "./refresh-tokens.js";
import { createSealedBox, type SealedBox } from "./sealed-box.js";
import { loadOrCreateKey } from "./state-files.js";

/** Everything the proxy's endpoints share. */
export interface OAuthProxy {
  config: Config;
  log: Logger;
  now: () => number;
  /** Clients registered through /register. */
  store: ClientStore;
  /** Sign-ins in progress, codes, consents and refresh-token families (proxy-store.ts). */
  state: ProxyStore;
  resolveClient: ClientResolver;
  keys: ProxyKeys;
  box: SealedBox;
  binding: BrowserBinding;
  refreshTokens: RefreshTokens;
  entra: EntraTokenClient;
}

/** Opens the proxy's state (registrations, consents, refresh tokens and key in PROXY_STATE_DIR) and wires its parts. */
export async function createOAuthProxy(
  config: Config,
  log: Logger,
  now: () => number = Date.now,
): Promise<OAuthProxy> {
  const store = await ClientStore.open(config.proxy.stateDir);
  const keys = deriveKeys(await loadOrCreateKey(join(config.proxy.stateDir, "refresh-token-key")));
  const state = await openFileStore(config.proxy.stateDir, now);
  const box = createSealedBox(keys.seal);
  const documents = createMetadataDocuments(
    createDocumentFetch({ allowPrivateNetwork: config.proxy.allowPrivateNetwork }),
    now,
  );
  const onReuse = (family: { id: string; clientId: string; userId: string }) =>
    log.warn("refresh token reused: its sign-in's tokens are revoked", {
      client: family.clientId,
      user: family.userId,
    });
  return {
    config,
    log,
    now,
    store,
    state,
    resolveClient: createClientResolver(store, documents),
    keys,
    box,
    binding: createBrowserBinding(config.serverUrl),
    refreshTokens: createRefreshTokens(state, box, keys.refreshToken, now, onReuse),
    entra: createEntraTokenClient(config, now),
  };
}

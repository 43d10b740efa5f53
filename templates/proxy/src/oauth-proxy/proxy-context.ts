import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import { type BrowserBinding, createBrowserBinding } from "./browser-binding.js";
import { type ClientResolver, createClientResolver } from "./clients.js";
import { createDocumentFetch } from "./document-fetch.js";
import { createEntraTokenClient, type EntraTokenClient } from "./entra-token-client.js";
import { createMetadataDocuments } from "./metadata-documents.js";
import { openStore } from "./open-store.js";
import { deriveKeys, type ProxyKeys } from "./proxy-keys.js";
import type { ProxyStore } from "./proxy-store.js";
import { createRefreshTokens, type RefreshTokens } from "./refresh-tokens.js";
import { createSealedBox, type SealedBox } from "./sealed-box.js";

/** Everything the proxy's endpoints share. */
export interface OAuthProxy {
  config: Config;
  log: Logger;
  now: () => number;
  /** Registered clients, sign-ins in progress, codes, consents and refresh-token families (proxy-store.ts). */
  state: ProxyStore;
  resolveClient: ClientResolver;
  keys: ProxyKeys;
  box: SealedBox;
  binding: BrowserBinding;
  refreshTokens: RefreshTokens;
  entra: EntraTokenClient;
}

/** Opens the proxy's store (PROXY_STATE_DIR, or Redis: open-store.ts) and wires its parts. */
export async function createOAuthProxy(
  config: Config,
  log: Logger,
  now: () => number = Date.now,
): Promise<OAuthProxy> {
  const { store: state, secret } = await openStore(config, log, now);
  const keys = deriveKeys(secret);
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
    state,
    resolveClient: createClientResolver(state, documents),
    keys,
    box,
    binding: createBrowserBinding(config.serverUrl),
    refreshTokens: createRefreshTokens(state, box, keys.refreshToken, now, onReuse),
    entra: createEntraTokenClient(config, now),
  };
}

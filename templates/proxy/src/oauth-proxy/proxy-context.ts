import { join } from "node:path";
import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import { ClientStore } from "./client-store.js";
import { type ClientResolver, createClientResolver } from "./clients.js";
import { createDocumentFetch } from "./document-fetch.js";
import { createEntraTokenClient, type EntraTokenClient, type EntraTokens } from "./entra-token-client.js";
import { createMetadataDocuments } from "./metadata-documents.js";
import { createRefreshTokenSealer, type RefreshTokenSealer } from "./sealed-refresh-token.js";
import { loadOrCreateKey } from "./state-files.js";
import { TtlMap } from "./ttl-map.js";

/** A sign-in on its way through Entra, keyed by the `state` the proxy sent there. */
export interface PendingSignIn {
  clientId: string;
  redirectUri: string;
  /** The client's own `state`, returned to it unchanged. */
  clientState?: string;
  /** The client's PKCE challenge (S256), checked when it redeems the proxy's code. */
  codeChallenge: string;
  /** The verifier of the proxy's own PKCE towards Entra. */
  entraVerifier: string;
}

/** A code the proxy issued to a client, keyed by its hash. One use, bound to all of this. */
export interface IssuedCode {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  tokens: EntraTokens;
}

/** Everything the proxy's endpoints share. */
export interface OAuthProxy {
  config: Config;
  log: Logger;
  now: () => number;
  store: ClientStore;
  resolveClient: ClientResolver;
  sealer: RefreshTokenSealer;
  entra: EntraTokenClient;
  pending: TtlMap<PendingSignIn>;
  codes: TtlMap<IssuedCode>;
}

/** A sign-in must come back from Entra within 10 minutes; the proxy's codes live 1 minute. */
const SIGN_IN_TTL_MS = 10 * 60_000;
const CODE_TTL_MS = 60_000;

/** Opens the proxy's state (registrations and key in PROXY_STATE_DIR) and wires its parts. */
export async function createOAuthProxy(
  config: Config,
  log: Logger,
  now: () => number = Date.now,
): Promise<OAuthProxy> {
  const store = await ClientStore.open(config.proxy.stateDir);
  const key = await loadOrCreateKey(join(config.proxy.stateDir, "refresh-token-key"));
  const documents = createMetadataDocuments(
    createDocumentFetch({ allowPrivateNetwork: config.proxy.allowPrivateNetwork }),
    now,
  );
  return {
    config,
    log,
    now,
    store,
    resolveClient: createClientResolver(store, documents),
    sealer: createRefreshTokenSealer(key),
    entra: createEntraTokenClient(config, now),
    pending: new TtlMap(SIGN_IN_TTL_MS, 10_000, now),
    codes: new TtlMap(CODE_TTL_MS, 10_000, now),
  };
}

import type { ClientMetadata } from "./client-metadata.js";

/**
 * Everything the proxy remembers, behind one interface: what file-store.ts keeps in memory and files
 * for one instance, and what redis-store.ts keeps in Redis for several (REDIS_URL). What an
 * implementation must guarantee is written on each method; Entra's tokens reach it only sealed
 * (sealed-box.ts), client secrets, browser cookies and codes only as hashes. A store that cannot be
 * reached throws StoreUnavailableError (store-health.ts): the request is answered 503, never guessed.
 */

/** A client registered through /register (RFC 7591). Its secret is kept as a hash only. */
export interface RegisteredClient extends ClientMetadata {
  client_id: string;
  /** Seconds since the epoch. */
  client_id_issued_at: number;
  client_secret_hash?: string;
}

/** Open registration is unauthenticated: this bounds what anonymous callers can make the store hold. */
export const MAX_CLIENTS = 10_000;

/** The user Entra signed in: `id` is `<tenant id>/<object id>`, `name` what the consent page shows. */
export interface SignedInUser {
  id: string;
  name: string;
}

/** What the client asked for, carried from /authorize to the code it gets. */
export interface ClientRequest {
  clientId: string;
  redirectUri: string;
  /** The client's own `state`, returned to it unchanged. */
  clientState?: string;
  /** The client's PKCE challenge (S256), checked when it redeems the proxy's code. */
  codeChallenge: string;
}

/** A sign-in on its way through Entra, keyed by the `state` the proxy sent there. */
export interface PendingSignIn extends ClientRequest {
  /** The verifier of the proxy's own PKCE towards Entra. */
  entraVerifier: string;
  /** SHA-256 of the browser's sign-in cookie: only that browser may bring Entra's answer back. */
  browser: string;
}

/** A sign-in back from Entra, waiting for the user to allow the client; keyed by a random id. */
export interface ConsentRequest extends ClientRequest {
  browser: string;
  user: SignedInUser;
  /** Entra's tokens, sealed. */
  tokens: string;
}

/** A code the proxy issued to a client, keyed by its hash. One use, bound to all of this. */
export interface IssuedCode extends ClientRequest {
  user: SignedInUser;
  /** Entra's tokens, sealed. */
  tokens: string;
}

/** What a redeemed code leaves behind: the refresh-token family it started, revoked if it comes again. */
export interface RedeemedCode {
  redeemed: true;
  familyId: string;
}

/** Short-lived records, each consumed once. */
export interface OneTimeRecords {
  "sign-in": PendingSignIn;
  consent: ConsentRequest;
  code: IssuedCode | RedeemedCode;
}
export type OneTimeKind = keyof OneTimeRecords;

/** How long each lives: a sign-in must come back from Entra and be decided within 10 minutes. */
export const RECORD_TTL_MS: Record<OneTimeKind, number> = {
  "sign-in": 10 * 60_000,
  consent: 10 * 60_000,
  code: 60_000,
};

/** A user's decision to let a client sign them in here, remembered until it is removed. */
export interface Consent {
  userId: string;
  clientId: string;
  /** What the client called itself when it was allowed (for whoever reads the store). */
  clientName?: string;
  /** Milliseconds since the epoch. */
  allowedAt: number;
}

/**
 * The refresh tokens descending from one sign-in. Only the newest (`generation`) is valid; a token of
 * an older generation coming back means two parties hold the family: it is revoked.
 */
export interface RefreshFamily {
  id: string;
  clientId: string;
  /** The resource its tokens are for (RFC 8707): the MCP server's URL. */
  resource: string;
  userId: string;
  generation: number;
  /** When the newest token expires (milliseconds since the epoch). */
  expiresAt: number;
  /** Entra's refresh token, sealed: never sent to the client. */
  entraRefreshToken: string;
}

/** What stays of a revoked family until its tokens would have expired anyway. */
export interface RevokedFamily {
  id: string;
  revoked: true;
  expiresAt: number;
}

/** What GET /healthz reports about the store. */
export interface StoreStatus {
  kind: "files" | "redis";
  reachable: boolean;
}

export interface ProxyStore {
  /** A client registered through /register, on any instance. */
  client(clientId: string): Promise<RegisteredClient | undefined>;
  /** Keeps a new client (its id is new); false when the store already holds MAX_CLIENTS. */
  addClient(client: RegisteredClient): Promise<boolean>;

  /**
   * Keeps a one-time record for its kind's TTL. False, and nothing kept, when the store already holds
   * as many as it allows in all or for `group` (the client): new sign-ins are refused, those in
   * progress are never pushed out.
   */
  add<K extends OneTimeKind>(
    kind: K,
    key: string,
    value: OneTimeRecords[K],
    group?: string,
  ): Promise<boolean>;
  /** The record, unless it expired or was taken. */
  get<K extends OneTimeKind>(kind: K, key: string): Promise<OneTimeRecords[K] | undefined>;
  /**
   * Gets and removes the record in one step: of concurrent takes, on any instance, one gets it.
   * `leave`, if given, takes its place under the same key for `ttlMs` (a redeemed code's trace).
   */
  take<K extends OneTimeKind>(
    kind: K,
    key: string,
    leave?: { value: OneTimeRecords[K]; ttlMs: number },
  ): Promise<OneTimeRecords[K] | undefined>;

  consent(userId: string, clientId: string): Promise<Consent | undefined>;
  saveConsent(consent: Consent): Promise<void>;

  family(id: string): Promise<RefreshFamily | RevokedFamily | undefined>;
  /** Creates the family unless its id is taken (revoked before it was created): false then. */
  createFamily(family: RefreshFamily): Promise<boolean>;
  /** Replaces the family only if it is still at `generation` (compare-and-set): false otherwise. */
  replaceFamily(next: RefreshFamily, generation: number): Promise<boolean>;
  /** Revokes the family (known or not yet created) and drops its Entra token; remembered until `until` at least. */
  revokeFamily(id: string, until: number): Promise<void>;

  /** Whether the store answers now. */
  status(): Promise<StoreStatus>;
  /** Lets go of connections (the server is stopping). */
  close(): Promise<void>;
}

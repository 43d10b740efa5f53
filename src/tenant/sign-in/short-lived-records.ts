import type { AadstsError } from "../errors/protocol-error.js";
import { Expiring } from "./expiring-map.js";
import type { RedirectPlatform } from "./redirect-uri.js";

/*
 * What a sign-in leaves behind while it runs, kept in memory only: the shapes of those records and
 * the holder the tenant keeps them in. The shapes live apart from the code that makes them (sessions,
 * transactions, codes, device authorizations), so the tenant's context can hold them without
 * importing that code, which imports the context.
 */
export type ResponseMode = "query" | "fragment" | "form_post";
export type Prompt = "none" | "login" | "consent" | "select_account";

/** Where and how /authorize answers: known once the client and its redirect URI are validated. */
export interface AuthorizeTarget {
  redirectUri: string;
  responseMode: ResponseMode;
  state?: string;
}

/** A validated /authorize request. */
export interface AuthorizeRequest extends AuthorizeTarget {
  clientId: string;
  platform: RedirectPlatform;
  /** The `scope` parameter as sent; resolved again when the code is redeemed. */
  scope: string;
  nonce?: string;
  codeChallenge?: string;
  codeChallengeMethod?: "S256" | "plain";
  prompt?: Prompt;
  loginHint?: string;
  /** msal sends client_info=1 and then expects `client_info` in the responses. */
  clientInfo: boolean;
}

/** Where a sign-in ends: back at the client (/authorize), or at a device waiting for its code. */
export type TransactionOrigin =
  | { kind: "authorize"; request: AuthorizeRequest }
  | { kind: "device"; deviceCode: string };

/** One sign-in in progress; the pages' forms carry its id. */
export interface Transaction {
  id: string;
  clientId: string;
  scope: string;
  origin: TransactionOrigin;
  /** Set once the user has signed in (from the session, the sign-in page or auto-approve). */
  userId?: string;
  authTime?: number;
  sessionState?: string;
  /** prompt=consent: show the consent page once even when nothing is missing. */
  consentPending: boolean;
  /** Auto-approve mode: consent without a page. */
  auto: boolean;
  loginHint?: string;
}

/** The browser session that keeps a user signed in across /authorize requests. */
export interface Session {
  id: string;
  userId: string;
  /** When the user signed in (seconds), the id_token's auth_time. */
  authTime: number;
  /** Sent back as `session_state` with every authorization response. */
  sessionState: string;
}

/** An authorization code, kept in memory only; the code string is the key. */
export interface AuthorizationCode {
  /** Also the family of the refresh tokens issued from it (revoked together on a replay). */
  id: string;
  clientId: string;
  redirectUri: string;
  platform: AuthorizeRequest["platform"];
  userId: string;
  scope: string;
  /** Scope values on the resource the user has consented to. */
  grantedScopes: string[];
  nonce?: string;
  codeChallenge?: string;
  codeChallengeMethod?: "S256" | "plain";
  authTime: number;
  expiresAt: number;
  redeemed: boolean;
}

/** A device code flow in progress, kept in memory only (key: the device_code). */
export interface DeviceAuthorization {
  deviceCode: string;
  userCode: string;
  clientId: string;
  scope: string;
  interval: number;
  expiresAt: number;
  lastPollAt?: number;
  status: "pending" | "approved" | "declined" | "failed" | "redeemed";
  userId?: string;
  authTime?: number;
  grantedScopes?: string[];
  /** Why the flow failed (e.g. 65002 or 90094), returned to the polling client. */
  error?: AadstsError;
}

/**
 * What the tenant keeps only while it runs: browser sessions, sign-in transactions, authorization
 * codes and device codes are short-lived, so a restart simply ends them (as a new Entra session would).
 * Refresh tokens are not here: they persist in the state.
 */
export class ShortLivedRecords {
  readonly sessions = new Expiring<Session>();
  readonly transactions = new Expiring<Transaction>();
  /** By the code itself; kept past expiry so late redemptions get 70008 and replays 54005. */
  readonly codes = new Expiring<AuthorizationCode>();
  /** By device_code; kept past expiry so late polls get expired_token. */
  readonly deviceCodes = new Expiring<DeviceAuthorization>();
  /** One-time sign-in tickets (see sign-in-tickets.ts): ticket → user id. */
  readonly signInTickets = new Expiring<string>();
  /**
   * Refresh token families revoked by a replayed code. A token of the family still being issued when
   * the replay came (the code's first redemption, a refresh in flight) is not stored either.
   */
  readonly revokedFamilies = new Set<string>();
}

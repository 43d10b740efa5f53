import type { ServerResponse } from "node:http";
import { sendJson } from "../http-server.js";
import type { ClientRegistry } from "./clients.js";
import type { AuthorizationServerOptions, AuthorizationServerRecords } from "./options.js";
import type { Signer } from "./signer.js";

/** A code the authorization endpoint issued (RFC 6749 §4.1.2), waiting to be redeemed once. */
export interface PendingCode {
  client_id: string;
  redirect_uri?: string;
  code_challenge: string;
  scope: string[];
  resources: string[];
  expiresAt: number;
  used: boolean;
}

/** A refresh token's grant (RFC 6749 §6); rotated on use (security-considerations.mdx, "Token Theft"). */
export interface RefreshGrant {
  client_id: string;
  sub: string;
  scope: string[];
  resources: string[];
  rotated: boolean;
}

export interface AsEndpoints {
  authorization: string;
  token: string;
  registration?: string;
  jwks: string;
}

/** Everything the endpoints share. */
export interface AsContext {
  issuer: string;
  origin: string;
  endpoints: AsEndpoints;
  /** Paths the metadata document is served at. */
  metadataPaths: string[];
  options: AuthorizationServerOptions;
  records: AuthorizationServerRecords;
  clients: ClientRegistry;
  signer: Signer;
  codes: Map<string, PendingCode>;
  refreshGrants: Map<string, RefreshGrant>;
  /** Assertion `jti`s already used (RFC 7523 §3 item 7: the AS MAY reject replays). */
  seenAssertionIds: Set<string>;
  scopesSupported: string[];
  now(): number;
}

/** A token or registration endpoint error (RFC 6749 §5.2, RFC 7591 §3.2.2). */
export class OAuthFailure extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
    readonly headers: Record<string, string> = {},
  ) {
    super(`${error}: ${description}`);
  }
}

export function sendFailure(res: ServerResponse, failure: OAuthFailure): void {
  sendJson(
    res,
    failure.status,
    { error: failure.error, error_description: failure.description },
    { "cache-control": "no-store", ...failure.headers },
  );
}

export function splitScope(scope: string | undefined): string[] {
  return (scope ?? "").split(" ").filter((part) => part.length > 0);
}

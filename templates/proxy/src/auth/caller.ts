/** Who is calling, as established from a validated access token. */
export interface Caller {
  /** "user" for delegated tokens (they carry `scp`), "app" for app-only tokens. */
  kind: "user" | "app";
  /** The user's or the calling app's service principal object id (`oid`). */
  objectId: string;
  tenantId: string;
  /** The client application that obtained the token (`azp`, or `appid` in v1 tokens). */
  clientId: string;
  /** Delegated scopes (`scp`), without the API's prefix. */
  scopes: string[];
  /** App roles (`roles`) assigned to the user or the app. */
  roles: string[];
  name?: string;
  username?: string;
  /** Expiry, in seconds since the epoch. */
  expiresAt: number;
  /**
   * The raw token: used only as the user assertion of the on-behalf-of request. Never log it and
   * never send it to another API.
   */
  token: string;
}

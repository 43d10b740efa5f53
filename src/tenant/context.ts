import type { TenantStore } from "./directory/state-file.js";
import type { Clock } from "./server/clock.js";
import type { FaultInjector } from "./server/faults.js";
import type { RequestLog } from "./server/request-log.js";
import { type TenantUrls, tenantUrls } from "./server/urls.js";
import type { ShortLivedRecords } from "./sign-in/short-lived-records.js";
import type { SigningKeys } from "./tokens/signing-keys.js";

export interface TenantOptions {
  /** Lifetime of access tokens in seconds (Entra: 60–90 minutes). */
  accessTokenLifetimeSeconds: number;
  refreshTokenLifetimeSeconds: number;
  authorizationCodeLifetimeSeconds: number;
  /** Seconds a device code client must wait between polls (Entra: 5; tests use 1). */
  deviceCodeIntervalSeconds: number;
  deviceCodeLifetimeSeconds: number;
}

export const DEFAULT_TENANT_OPTIONS: TenantOptions = {
  accessTokenLifetimeSeconds: 3600 + 899,
  refreshTokenLifetimeSeconds: 90 * 24 * 3600,
  authorizationCodeLifetimeSeconds: 600,
  deviceCodeIntervalSeconds: 5,
  deviceCodeLifetimeSeconds: 900,
};

/** What every endpoint of the dev tenant works with. */
export interface TenantContext {
  origin: string;
  /** The dev tenant's CA certificate (PEM), for its own outbound calls to local issuers. */
  caPem: string;
  store: TenantStore;
  keys: SigningKeys;
  clock: Clock;
  options: TenantOptions;
  /** Fault injection for the Graph subset (off by default). */
  faults: FaultInjector;
  requestLog: RequestLog;
  /** Short-lived records kept in memory only: sessions, sign-in transactions, codes. */
  memory: ShortLivedRecords;
}

/** The tenant's own URLs (by its id). */
export function ownUrls(ctx: TenantContext): TenantUrls {
  return tenantUrls(ctx.origin, ctx.store.state.tenant.id);
}

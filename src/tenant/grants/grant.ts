import type { TenantContext } from "../context.js";
import type { TenantSegment } from "../endpoints/tenant-segment.js";
import type { TokenResponse } from "../tokens/token-response.js";

/** A token request as every grant handler receives it. */
export interface TokenRequest {
  params: Record<string, string | undefined>;
  /** The HTTP Authorization header (client_secret_basic). */
  authorization?: string;
  /** The Origin header: a browser's cross-origin request (spa redemption rules, spa-redemption.ts). */
  origin?: string;
  tenant: TenantSegment;
  /** The URLs of this token endpoint that a certificate assertion may name as its audience. */
  tokenEndpoints: string[];
}

export type GrantHandler = (ctx: TenantContext, request: TokenRequest) => Promise<TokenResponse>;

import type { RequestStateSeal } from "./input-rounds.js";
import type { AuthorizationServerRef, McpServerOptions, McpServerRecords, TokenCheck } from "./options.js";
import type { ProtectedResourceLayout } from "./protected-resource.js";
import type { ToolDefinition } from "./tool-catalogue.js";

/** What the HTTP front and both protocol servers share. */
export interface ServerState {
  options: McpServerOptions;
  origin: string;
  path: string;
  url: string;
  layout: ProtectedResourceLayout;
  /** Current authorization servers (switchable: AS migration). */
  authorizationServers: AuthorizationServerRef[];
  catalogue: ToolDefinition[];
  records: McpServerRecords;
  seal: RequestStateSeal;
  skip: ReadonlySet<TokenCheck>;
  now(): number;
}

/** Validated token data handed to the protocol servers (the SDKs' AuthInfo shape). */
export interface CallerAuth {
  token: string;
  clientId: string;
  scopes: string[];
  expiresAt?: number;
  extra: { sub: string };
  [key: string]: unknown;
}

export function callerSubject(auth: { extra?: Record<string, unknown> } | undefined): string {
  return typeof auth?.extra?.sub === "string" ? auth.extra.sub : "anonymous";
}

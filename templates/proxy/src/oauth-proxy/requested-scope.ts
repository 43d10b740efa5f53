import type { Config } from "../config.js";
import { OAuthError } from "./oauth-error.js";

/**
 * Checks the `scope` a client asks the proxy for. The proxy grants one thing — the API's
 * delegated scope — so a request may name it (fully qualified, as PRM `scopes_supported` lists it)
 * and offline_access, or nothing; anything else is `invalid_scope`.
 */
export function checkRequestedScope(config: Pick<Config, "scope">, scope: string | undefined): void {
  const allowed = new Set([config.scope, "offline_access"]);
  const unknown = (scope ?? "").split(" ").filter((value) => value !== "" && !allowed.has(value));
  if (unknown.length > 0) {
    throw new OAuthError(
      "invalid_scope",
      `This server grants only ${config.scope} (and offline_access); not ${unknown.join(", ")}.`,
    );
  }
}

/** RFC 8707: the only resource the proxy issues tokens for is the MCP server itself. */
export function checkResource(config: Pick<Config, "serverUrl">, resource: string | undefined): void {
  if (resource !== undefined && resource !== config.serverUrl) {
    throw new OAuthError("invalid_target", `The only resource here is ${config.serverUrl}.`);
  }
}

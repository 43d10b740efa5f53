import type { ClientMetadata } from "./client-metadata.js";
import { randomToken, sha256 } from "./crypto-helpers.js";
import { OAuthError } from "./oauth-error.js";
import type { ProxyStore, RegisteredClient } from "./proxy-store.js";

/**
 * Registers a client (RFC 7591): a new id, and a secret for a client that authenticates at the token
 * endpoint, returned once and kept as a hash only.
 */
export async function registerClient(
  store: ProxyStore,
  metadata: ClientMetadata,
  issuedAt: number,
): Promise<{ client: RegisteredClient; secret?: string }> {
  const secret = metadata.token_endpoint_auth_method === "none" ? undefined : randomToken();
  const client: RegisteredClient = {
    client_id: `mcp-${randomToken(16)}`,
    client_id_issued_at: issuedAt,
    ...metadata,
    ...(secret ? { client_secret_hash: sha256(secret) } : {}),
  };
  if (!(await store.addClient(client))) {
    throw new OAuthError("temporarily_unavailable", "No more clients can be registered.", 503);
  }
  return { client, secret };
}

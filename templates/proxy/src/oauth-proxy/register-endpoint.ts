import type { Request, Response } from "express";
import { parseClientMetadata } from "./client-metadata.js";
import { registerClient } from "./client-registration.js";
import type { OAuthProxy } from "./proxy-context.js";

/**
 * POST /register: Dynamic Client Registration (RFC 7591). Open to anyone, as MCP clients expect;
 * it is rate limited and bounded. A client that authenticates at the token endpoint
 * (client_secret_basic — the RFC's default — or client_secret_post) gets a secret, shown once.
 */
export function registerEndpoint(proxy: OAuthProxy) {
  return async (req: Request, res: Response): Promise<void> => {
    const metadata = parseClientMetadata(req.body, { defaultAuthMethod: "client_secret_basic" });
    const { client, secret } = await registerClient(proxy.state, metadata, Math.floor(proxy.now() / 1000));
    proxy.log.info("client registered", {
      client: client.client_id,
      name: client.client_name,
      authMethod: client.token_endpoint_auth_method,
    });
    const { client_secret_hash: _hash, ...visible } = client;
    res
      .status(201)
      .set("Cache-Control", "no-store")
      .json({ ...visible, ...(secret ? { client_secret: secret, client_secret_expires_at: 0 } : {}) });
  };
}

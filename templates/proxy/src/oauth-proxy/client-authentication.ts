import type { ProxyClient } from "./clients.js";
import { safeEqual, sha256 } from "./crypto-helpers.js";
import { OAuthError } from "./oauth-error.js";
import type { OAuthProxy } from "./proxy-context.js";

const failed = (description: string) => new OAuthError("invalid_client", description, 401);

/**
 * Authenticates a client at the token endpoint (RFC 6749 §2.3) by the method it registered:
 * `none` (client_id only; public clients, all metadata-document clients), `client_secret_basic`
 * (HTTP Basic) or `client_secret_post` (client_secret in the body). Failures are 401 invalid_client.
 */
export async function authenticateClient(
  proxy: OAuthProxy,
  params: Record<string, string | undefined>,
  authorization: string | undefined,
): Promise<ProxyClient> {
  const basic = parseBasic(authorization);
  if (basic && params.client_id !== undefined && params.client_id !== basic.clientId) {
    throw failed("client_id differs between the Authorization header and the body.");
  }
  const clientId = basic?.clientId ?? params.client_id;
  if (!clientId) throw failed("The client is not identified: send client_id.");
  let client: ProxyClient | undefined;
  try {
    client = await proxy.resolveClient(clientId);
  } catch (error) {
    if (error instanceof OAuthError) throw failed(error.description);
    throw error;
  }
  if (!client) throw failed("Unknown client.");

  const method = client.token_endpoint_auth_method;
  const presented = method === "client_secret_basic" ? basic?.secret : params.client_secret;
  if (method === "none") {
    if (basic || params.client_secret !== undefined) throw failed("This client is public: it has no secret.");
    return client;
  }
  if (method === "client_secret_post" && basic)
    throw failed("This client authenticates with client_secret_post.");
  if (!presented || !client.client_secret_hash || !safeEqual(sha256(presented), client.client_secret_hash)) {
    throw failed(`Client authentication failed (${method}).`);
  }
  return client;
}

function parseBasic(header: string | undefined): { clientId: string; secret: string } | undefined {
  const encoded = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? "")?.[1];
  if (!encoded) return undefined;
  const decoded = Buffer.from(encoded, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 1) throw failed("The Basic credentials are malformed.");
  try {
    // RFC 6749 §2.3.1: both parts are form-urlencoded before they are joined.
    return {
      clientId: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, " ")),
      secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, " ")),
    };
  } catch {
    throw failed("The Basic credentials are malformed.");
  }
}

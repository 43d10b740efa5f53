import type { JWK } from "jose";
import { isLoopbackHost, type RegisteredClient, safeUrl } from "./clients.js";
import type { AsContext } from "./context.js";
import type { TokenEndpointAuthMethod } from "./options.js";

/** Whether `clientId` is a URL the AS treats as a Client ID Metadata Document (client-registration.mdx). */
export function isMetadataDocumentClientId(context: AsContext, clientId: string): boolean {
  const setting = context.options.clientIdMetadataDocuments;
  if (!setting) return false;
  const url = safeUrl(clientId);
  if (!url || url.pathname === "/" || url.pathname === "") return false;
  if (url.protocol === "https:") return true;
  return (
    typeof setting === "object" &&
    setting.allowHttp &&
    url.protocol === "http:" &&
    isLoopbackHost(url.hostname)
  );
}

/**
 * Fetches and validates the document (client-registration.mdx, "For Authorization Servers"): valid JSON
 * with client_id, client_name and redirect_uris, and `client_id` identical to the URL. A validated
 * document is kept as the client's registration (the AS SHOULD cache it).
 */
export async function resolveMetadataDocument(
  context: AsContext,
  clientId: string,
): Promise<RegisteredClient | string> {
  const known = context.clients.get(clientId);
  if (known) return known;
  const record = { url: clientId, status: 0, error: undefined as string | undefined };
  context.records.clientMetadataFetches.push(record);
  let document: Record<string, unknown>;
  try {
    const response = await fetch(clientId, { redirect: "error", headers: { accept: "application/json" } });
    record.status = response.status;
    if (!response.ok)
      return fail(record, `fetching the client metadata document answered ${response.status}`);
    document = (await response.json()) as Record<string, unknown>;
  } catch (error) {
    return fail(record, `the client metadata document could not be read: ${(error as Error).message}`);
  }
  if (document.client_id !== clientId) {
    return fail(record, `the document's client_id ${String(document.client_id)} is not its URL ${clientId}`);
  }
  if (typeof document.client_name !== "string" || !Array.isArray(document.redirect_uris)) {
    return fail(record, "the document lacks client_name or redirect_uris");
  }
  const jwks = document.jwks as { keys: JWK[] } | undefined;
  const method = (document.token_endpoint_auth_method ??
    (jwks ? "private_key_jwt" : "none")) as TokenEndpointAuthMethod;
  if (method !== "none" && method !== "private_key_jwt") {
    return fail(record, "a metadata document client authenticates with none or private_key_jwt");
  }
  const client: RegisteredClient = {
    client_id: clientId,
    token_endpoint_auth_method: method,
    redirect_uris: document.redirect_uris as string[],
    grant_types: (document.grant_types as string[] | undefined) ?? ["authorization_code", "refresh_token"],
    jwks,
    source: "metadata-document",
  };
  context.clients.add(client);
  return client;
}

function fail(record: { error?: string }, message: string): string {
  record.error = message;
  return message;
}

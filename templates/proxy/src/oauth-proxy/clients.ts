import type { ClientMetadata } from "./client-metadata.js";
import { isMetadataDocumentUrl, type MetadataDocuments } from "./metadata-documents.js";
import type { ProxyStore } from "./proxy-store.js";

/** A client the proxy knows, however it became known. */
export interface ProxyClient extends ClientMetadata {
  client_id: string;
  /** Registered through /register, or described by a Client ID Metadata Document. */
  kind: "registered" | "metadata-document";
  client_secret_hash?: string;
}

/** Finds a client by id: undefined for unknown ids; throws `invalid_client` for unusable documents. */
export type ClientResolver = (clientId: string) => Promise<ProxyClient | undefined>;

export function createClientResolver(store: ProxyStore, documents: MetadataDocuments): ClientResolver {
  return async (clientId) => {
    if (isMetadataDocumentUrl(clientId)) {
      return { ...(await documents.get(clientId)), client_id: clientId, kind: "metadata-document" };
    }
    const registered = await store.client(clientId);
    return registered ? { ...registered, kind: "registered" } : undefined;
  };
}

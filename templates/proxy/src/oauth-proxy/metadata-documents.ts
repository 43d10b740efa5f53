import { type ClientMetadata, parseClientMetadata } from "./client-metadata.js";
import { type DocumentFetch, DocumentFetchError } from "./document-fetch.js";
import { OAuthError } from "./oauth-error.js";
import { TtlMap } from "./ttl-map.js";

/**
 * Clients identified by a Client ID Metadata Document (draft-ietf-oauth-client-id-metadata-document):
 * the client_id is an https URL, and the JSON document served there is the client's metadata.
 */
export interface MetadataDocuments {
  /** The metadata at `clientId`; throws `invalid_client` when the URL or the document is unusable. */
  get(clientId: string): Promise<ClientMetadata>;
}

const CACHE_MS = 5 * 60_000;
const FAILURE_CACHE_MS = 30_000;

/** True for client ids this resolver handles (every https URL; registered ids never are). */
export function isMetadataDocumentUrl(clientId: string): boolean {
  return clientId.startsWith("https://");
}

export function createMetadataDocuments(fetchDocument: DocumentFetch, now: () => number): MetadataDocuments {
  // Good documents are kept 5 minutes; failures 30 s, so a bad client id cannot make us fetch in a loop.
  const documents = new TtlMap<ClientMetadata>(CACHE_MS, 1_000, now);
  const failures = new TtlMap<OAuthError>(FAILURE_CACHE_MS, 1_000, now);
  return {
    async get(clientId) {
      const cached = documents.get(clientId) ?? failures.get(clientId);
      if (cached instanceof OAuthError) throw cached;
      if (cached) return cached;
      try {
        const metadata = await load(fetchDocument, clientId);
        documents.set(clientId, metadata);
        return metadata;
      } catch (error) {
        if (error instanceof OAuthError) failures.set(clientId, error);
        throw error;
      }
    },
  };
}

async function load(fetchDocument: DocumentFetch, clientId: string): Promise<ClientMetadata> {
  const refuse = (reason: string) =>
    new OAuthError("invalid_client", `The client metadata document ${clientId} ${reason}.`);
  const problem = urlProblem(clientId);
  if (problem) throw refuse(problem);
  let document: unknown;
  try {
    document = await fetchDocument(clientId);
  } catch (error) {
    if (error instanceof DocumentFetchError) throw refuse(`cannot be used: ${error.message}`);
    throw error;
  }
  const fields = (typeof document === "object" && document !== null ? document : {}) as Record<
    string,
    unknown
  >;
  if (fields.client_id !== clientId) throw refuse("must name its own URL as client_id");
  // No shared secret can exist for a client nobody registered: documents describe public clients.
  if ("client_secret" in fields || "client_secret_expires_at" in fields)
    throw refuse("must not hold a secret");
  try {
    const metadata = parseClientMetadata(document, { defaultAuthMethod: "none" });
    if (metadata.token_endpoint_auth_method !== "none") {
      throw refuse('must use token_endpoint_auth_method "none"');
    }
    return metadata;
  } catch (error) {
    if (error instanceof OAuthError && error.error !== "invalid_client")
      throw refuse(`is invalid: ${error.description}`);
    throw error;
  }
}

/** The draft's rules for the URL: https, a path, no dot segments, fragment or credentials. */
function urlProblem(clientId: string): string | undefined {
  let url: URL;
  try {
    url = new URL(clientId);
  } catch {
    return "is not a URL";
  }
  if (clientId.length > 2000) return "is longer than 2000 characters";
  if (url.protocol !== "https:") return "must be an https URL";
  if (url.pathname === "/" || url.pathname === "") return "must have a path";
  if (/\/\.\.?(\/|$)/.test(clientId.split(/[?#]/)[0]!)) return "must not contain . or .. segments";
  if (clientId.includes("#")) return "must not contain a fragment";
  if (url.username || url.password) return "must not contain user info";
  return undefined;
}

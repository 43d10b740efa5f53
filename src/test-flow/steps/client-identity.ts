import { registerClient, selectClientAuthMethod } from "@modelcontextprotocol/sdk/client/auth.js";
import type {
  AuthorizationServerMetadata,
  OAuthClientInformationMixed,
} from "@modelcontextprotocol/sdk/shared/auth.js";
import { OperationError, UsageError } from "../../core/errors.js";
import type { FetchLike } from "../../entra/trust.js";
import type { AuthorizationServerKind } from "../authorization-server-kind.js";
import type { FlowOAuthProvider } from "../sign-in/oauth-provider.js";

export type ClientIdentityMethod = "pre-registered" | "client-id-metadata-document" | "dynamic-registration";

export interface ClientIdentity {
  method: ClientIdentityMethod;
  information: OAuthClientInformationMixed;
  /** How the client authenticates at the token endpoint. */
  authMethod: string;
  /** The registration was stored by an earlier run. */
  reused: boolean;
}

export interface IdentityInput {
  issuer: string;
  metadata: AuthorizationServerMetadata;
  kind: AuthorizationServerKind;
  fetch: FetchLike;
}

/**
 * The spec's order: pre-registered credentials; a Client ID Metadata Document when the AS supports it
 * and --client-metadata-url is given; Dynamic Client Registration when the AS has a registration
 * endpoint; otherwise the user must say who the client is.
 */
export async function resolveClientIdentity(
  provider: FlowOAuthProvider,
  input: IdentityInput,
): Promise<ClientIdentity> {
  const supported = input.metadata.token_endpoint_auth_methods_supported ?? [];
  const identity = (
    method: ClientIdentityMethod,
    information: OAuthClientInformationMixed,
    reused = false,
  ) => ({
    method,
    information,
    authMethod: selectClientAuthMethod(information, supported),
    reused,
  });
  if (provider.preRegistered) return identity("pre-registered", provider.preRegistered);
  const stored = provider.storedRegistration();
  if (stored) return identity(stored.method, stored, true);
  const cimdUrl = provider.clientMetadataUrl;
  if (cimdUrl && input.metadata.client_id_metadata_document_supported === true) {
    const information = { client_id: cimdUrl };
    await provider.saveClientInformation(information);
    return identity("client-id-metadata-document", information);
  }
  if (input.metadata.registration_endpoint) {
    let registered: OAuthClientInformationMixed;
    try {
      registered = await registerClient(input.issuer, {
        metadata: input.metadata,
        clientMetadata: provider.clientMetadata,
        scope: provider.scope,
        fetchFn: input.fetch,
      });
    } catch (error) {
      throw new OperationError(
        "DCR_FAILED",
        `Dynamic client registration failed: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    await provider.saveClientInformation(registered);
    return identity("dynamic-registration", registered);
  }
  throw noClientIdentity(input, Boolean(cimdUrl));
}

function noClientIdentity(input: IdentityInput, hadCimdUrl: boolean): UsageError {
  const entra = input.kind !== "oauth";
  const reasons = [
    "no --client-id was given",
    hadCimdUrl
      ? "the authorization server does not advertise client_id_metadata_document_supported"
      : "no --client-metadata-url was given (or the authorization server does not support Client ID Metadata Documents)",
    "the authorization server has no registration_endpoint",
  ];
  return new UsageError(
    "NO_CLIENT_IDENTITY",
    `No client identity for ${input.issuer}: ${reasons.join("; ")}.`,
    {
      suggestion: entra
        ? "Entra has no dynamic registration: pass the application (client) id of a registered app with --client-id <guid> (or MCP_CLIENT_ID), plus --client-secret (or MCP_CLIENT_SECRET) for a confidential client."
        : "Register a client with the authorization server and pass --client-id <id> (or MCP_CLIENT_ID), plus --client-secret (or MCP_CLIENT_SECRET) if it has one.",
    },
  );
}

import { FEDERATED_TOKEN_AUDIENCE } from "../well-known.js";
import type { DesiredFederatedCredential, ManagedIdentityRef } from "./model.js";

/**
 * The federated credential that lets a user-assigned managed identity sign an app in (Entra's
 * "managed identity as a federated identity credential"): the tenant's v2 issuer, the identity's
 * principal (object) id as subject, and the token exchange audience.
 */
export function managedIdentityCredential(input: {
  identity: ManagedIdentityRef;
  issuer: string;
}): DesiredFederatedCredential {
  return {
    name: `managed-identity-${input.identity.principalId}`,
    issuer: input.issuer,
    subject: input.identity.principalId,
    audiences: [FEDERATED_TOKEN_AUDIENCE],
    description: `Managed identity ${input.identity.name} (client id ${input.identity.clientId})`,
  };
}

/** The issuer of a tenant's managed identity tokens: its v2 issuer, `<authority host>/<tenant id>/v2.0`. */
export function managedIdentityIssuer(authorityHost: string, tenantId: string): string {
  return `${authorityHost.replace(/\/+$/, "")}/${tenantId}/v2.0`;
}

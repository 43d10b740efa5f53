import { ManagedIdentityApplication } from "@azure/msal-node";

/** The audience of federated credentials in Entra; a managed identity's token for it is a client assertion. */
export const TOKEN_EXCHANGE_RESOURCE = "api://AzureADTokenExchange";

/**
 * A client assertion from the host's managed identity: MSAL's ManagedIdentityApplication asks the
 * endpoint the Azure host gives the process (IDENTITY_ENDPOINT and IDENTITY_HEADER on App Service and
 * Container Apps, IMDS on VMs) for the user-assigned identity's token for api://AzureADTokenExchange,
 * and caches it until it nears expiry. Entra accepts it in place of a secret because the app
 * registration has a federated credential trusting that identity (`mcp-entra register --credential
 * managed-identity`).
 */
export function managedIdentityAssertion(clientId: string): () => Promise<string> {
  const identity = new ManagedIdentityApplication({
    managedIdentityIdParams: { userAssignedClientId: clientId },
  });
  return async () => {
    const result = await identity.acquireToken({ resource: TOKEN_EXCHANGE_RESOURCE });
    return result.accessToken;
  };
}

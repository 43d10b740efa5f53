/** Identifiers that are the same in every Entra tenant. */

export const MICROSOFT_GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";
export const MICROSOFT_GRAPH_RESOURCE = "https://graph.microsoft.com";
/** The tenant that owns Microsoft's first-party applications. */
export const MICROSOFT_SERVICES_TENANT_ID = "f8cdef31-a31e-4b4a-93e4-5f571e91255a";
/** The audience GitHub (and every Entra workload identity federation) puts in its OIDC tokens. */
export const FEDERATED_TOKEN_AUDIENCE = "api://AzureADTokenExchange";
export const GITHUB_ACTIONS_ISSUER = "https://token.actions.githubusercontent.com";

export const OIDC_SCOPES = ["openid", "profile", "email", "offline_access"] as const;

export interface FirstPartyClient {
  appId: string;
  displayName: string;
  /** Redirect URIs registered for the client; loopback ports are ignored when matching. */
  redirectUris: string[];
  /**
   * Microsoft consented it to Graph's user-consentable scopes in every tenant (Visual Studio Code, the
   * Azure CLI). Microsoft Graph Command Line Tools is not: its users consent on first use.
   */
  graphPreConsented: boolean;
}

/** Microsoft's public clients that exist in every tenant and that MCP users meet. */
export const FIRST_PARTY_CLIENTS: readonly FirstPartyClient[] = [
  {
    appId: "aebc6443-996d-45c2-90f0-388ff96faa56",
    displayName: "Visual Studio Code",
    redirectUris: ["http://localhost", "http://127.0.0.1", "https://vscode.dev/redirect"],
    graphPreConsented: true,
  },
  {
    appId: "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
    displayName: "Microsoft Azure CLI",
    redirectUris: ["http://localhost", "https://login.microsoftonline.com/common/oauth2/nativeclient"],
    graphPreConsented: true,
  },
  {
    appId: "14d82eec-204b-4c2f-b7e8-296a70dab67e",
    displayName: "Microsoft Graph Command Line Tools",
    redirectUris: ["http://localhost", "https://login.microsoftonline.com/common/oauth2/nativeclient"],
    graphPreConsented: false,
  },
];

export const VSCODE_CLIENT_ID = FIRST_PARTY_CLIENTS[0]!.appId;
export const AZURE_CLI_CLIENT_ID = FIRST_PARTY_CLIENTS[1]!.appId;
/** Microsoft Graph Command Line Tools: Microsoft's public client for command-line Graph work, in every tenant. */
export const GRAPH_CLI_CLIENT_ID = FIRST_PARTY_CLIENTS[2]!.appId;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isGuid(value: string): boolean {
  return GUID.test(value);
}

/**
 * The application id of Entra's token exchange resource (`api://AzureADTokenExchange`), the same in
 * every tenant: a managed identity's token for that resource carries it as `aud`, and Entra matches
 * it with federated credentials whose audience is the URI.
 */
export const TOKEN_EXCHANGE_APP_ID = "fb60f99c-7a34-4190-8149-302f77469936";

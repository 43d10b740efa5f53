/** Identifiers that are the same in every Entra tenant. */

export const MICROSOFT_GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";
export const MICROSOFT_GRAPH_RESOURCE = "https://graph.microsoft.com";
/** The tenant that owns Microsoft's first-party applications. */
export const MICROSOFT_SERVICES_TENANT_ID = "f8cdef31-a31e-4b4a-93e4-5f571e91255a";
/** The audience GitHub (and every Entra workload identity federation) puts in its OIDC tokens. */
export const FEDERATED_TOKEN_AUDIENCE = "api://AzureADTokenExchange";
export const GITHUB_ACTIONS_ISSUER = "https://token.actions.githubusercontent.com";

export const OIDC_SCOPES = ["openid", "profile", "email", "offline_access"] as const;

export interface WellKnownPermission {
  value: string;
  /** Id of the delegated permission (oauth2PermissionScope), when there is one. */
  delegatedId?: string;
  /** Id of the application permission (appRole), when there is one. */
  applicationId?: string;
  adminConsentRequired: boolean;
  displayName: string;
}

/** The Microsoft Graph permissions mcp-entra and its scaffolds use, with their real ids. */
export const GRAPH_PERMISSIONS: readonly WellKnownPermission[] = [
  {
    value: "User.Read",
    delegatedId: "e1fe6dd8-ba31-4d61-89e7-88639da4683d",
    adminConsentRequired: false,
    displayName: "Sign in and read user profile",
  },
  {
    value: "openid",
    delegatedId: "37f7f235-527c-4136-accd-4a02d197296e",
    adminConsentRequired: false,
    displayName: "Sign users in",
  },
  {
    value: "profile",
    delegatedId: "14dad69e-099b-42c9-810b-d002981feec1",
    adminConsentRequired: false,
    displayName: "View users' basic profile",
  },
  {
    value: "email",
    delegatedId: "64a6cdd6-aab1-4aaf-94b8-3cc8405e90d0",
    adminConsentRequired: false,
    displayName: "View users' email address",
  },
  {
    value: "offline_access",
    delegatedId: "7427e0e9-2fdb-4417-809c-591378161370",
    adminConsentRequired: false,
    displayName: "Maintain access to data you have given it access to",
  },
  {
    value: "User.Read.All",
    delegatedId: "a154be20-db9c-4678-8ab7-66f6cc099a59",
    applicationId: "df021288-bdef-4463-88db-98f22de89214",
    adminConsentRequired: true,
    displayName: "Read all users' full profiles",
  },
  {
    value: "Application.Read.All",
    delegatedId: "c79f8feb-a9db-4090-85f9-90d820caa0eb",
    applicationId: "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30",
    adminConsentRequired: true,
    displayName: "Read applications",
  },
  {
    value: "Application.ReadWrite.All",
    delegatedId: "bdfbf15f-ee85-4955-8675-146e8e5296b5",
    applicationId: "1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9",
    adminConsentRequired: true,
    displayName: "Read and write all applications",
  },
  {
    value: "Application.ReadWrite.OwnedBy",
    applicationId: "18a4783c-866b-4cc7-a460-3d5e5662c884",
    adminConsentRequired: true,
    displayName: "Manage apps that this app creates or owns",
  },
  {
    value: "DelegatedPermissionGrant.ReadWrite.All",
    delegatedId: "41ce6ca6-6826-4807-84f1-1c82854f7ee5",
    applicationId: "8e8e4742-1d95-4f68-9d56-6ee75648c72a",
    adminConsentRequired: true,
    displayName: "Manage all delegated permission grants",
  },
  {
    value: "AppRoleAssignment.ReadWrite.All",
    delegatedId: "84bccea3-f856-4a8a-967b-dbe0a3d53a64",
    applicationId: "06b708a9-e830-4db3-a914-8e69da51d44f",
    adminConsentRequired: true,
    displayName: "Manage app permission grants and app role assignments",
  },
  {
    value: "Directory.Read.All",
    delegatedId: "06da0dbc-49e2-44d2-8312-53f166ab848a",
    applicationId: "7ab1d382-f21e-4acd-a863-ba3e13f7da61",
    adminConsentRequired: true,
    displayName: "Read directory data",
  },
];

export function graphPermission(value: string): WellKnownPermission | undefined {
  const wanted = value.toLowerCase();
  return GRAPH_PERMISSIONS.find((permission) => permission.value.toLowerCase() === wanted);
}

export interface FirstPartyClient {
  appId: string;
  displayName: string;
  /** Redirect URIs registered for the client; loopback ports are ignored when matching. */
  redirectUris: string[];
}

/** Microsoft's public clients that exist in every tenant and that MCP users meet. */
export const FIRST_PARTY_CLIENTS: readonly FirstPartyClient[] = [
  {
    appId: "aebc6443-996d-45c2-90f0-388ff96faa56",
    displayName: "Visual Studio Code",
    redirectUris: ["http://localhost", "http://127.0.0.1", "https://vscode.dev/redirect"],
  },
  {
    appId: "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
    displayName: "Microsoft Azure CLI",
    redirectUris: ["http://localhost", "https://login.microsoftonline.com/common/oauth2/nativeclient"],
  },
  {
    appId: "14d82eec-204b-4c2f-b7e8-296a70dab67e",
    displayName: "Microsoft Graph Command Line Tools",
    redirectUris: ["http://localhost", "https://login.microsoftonline.com/common/oauth2/nativeclient"],
  },
];

export const VSCODE_CLIENT_ID = FIRST_PARTY_CLIENTS[0]!.appId;
export const AZURE_CLI_CLIENT_ID = FIRST_PARTY_CLIENTS[1]!.appId;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isGuid(value: string): boolean {
  return GUID.test(value);
}

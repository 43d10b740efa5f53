import type { PermissionRef } from "../graph-permissions.js";

/**
 * What `register` wants a tenant to hold for one app registration. Computed from a preset and the
 * user's flags (desired.ts), compared with what the tenant has (diff.ts) to plan only the writes
 * that are needed.
 */

export const PRESETS = ["local", "remote", "proxy", "ci"] as const;
export type Preset = (typeof PRESETS)[number];

export interface DesiredScope {
  value: string;
  type: "User" | "Admin";
  adminConsentDisplayName: string;
  adminConsentDescription: string;
  userConsentDisplayName: string;
  userConsentDescription: string;
}

export interface DesiredRole {
  value: string;
  displayName: string;
  description: string;
  allowedMemberTypes: ("User" | "Application")[];
}

export interface DesiredPermission {
  resourceAppId: string;
  /** Delegated permissions (scopes), e.g. User.Read, with their ids on the resource. */
  scopes: PermissionRef[];
  /** Application permissions (app roles), e.g. User.Read.All, with their ids on the resource. */
  roles: PermissionRef[];
}

export interface DesiredFederatedCredential {
  name: string;
  issuer: string;
  subject: string;
  audiences: string[];
  description: string;
}

export type DesiredCredential =
  | { kind: "secret"; lifetimeDays: number; rotate: boolean }
  | {
      kind: "certificate";
      certificatePem: string;
      displayName: string;
      /** The PEM file given with --certificate (absolute); .env points the server at it when it holds the key. */
      path: string;
      hasPrivateKey: boolean;
    }
  | {
      kind: "managed-identity";
      /** The user-assigned identity the server signs in with (its token is the client assertion). */
      identity: ManagedIdentityRef;
      /** The issuer of its tokens: the tenant's v2 issuer. */
      issuer: string;
    }
  | { kind: "none" };

/** A user-assigned managed identity as Graph shows it: a service principal of type ManagedIdentity. */
export interface ManagedIdentityRef {
  name: string;
  clientId: string;
  /** The service principal's object id: the subject of the identity's tokens. */
  principalId: string;
}

/** `api://{appId}` is only known after the app exists; it is written as this placeholder until then. */
export const APP_ID_URI_PLACEHOLDER = "api://{appId}";

export interface DesiredRegistration {
  /** The key of this registration in mcp-entra.json (one per preset by default). */
  key: string;
  preset: Preset;
  uniqueName: string;
  displayName: string;
  signInAudience: string;
  /** The Application ID URI: a verified https URL, the placeholder for api://{appId}, or none. */
  identifierUri: string | null;
  requestedAccessTokenVersion: 1 | 2 | null;
  scopes: DesiredScope[];
  roles: DesiredRole[];
  redirectUris: { web: string[]; spa: string[]; publicClient: string[] };
  isFallbackPublicClient: boolean | null;
  requiredResourceAccess: DesiredPermission[];
  /** Client ids pre-authorized for every exposed scope. */
  preAuthorizedClientIds: string[];
  serviceManagementReference: string | null;
  /** Directory object ids that must own the app (besides the signed-in user). */
  owners: string[];
  credential: DesiredCredential;
  federatedCredentials: DesiredFederatedCredential[];
  /** Tenant-wide (admin) consent to the app's permissions: delegated (a grant) and application (role assignments). */
  adminConsent: boolean;
  /**
   * The app signs users in to its own API (the proxy preset: the server is its own Entra client), so
   * admin consent also covers its own scopes.
   */
  consentToOwnScopes: boolean;
  /** App roles of other APIs that this app's service principal must hold (the ci preset). */
  roleAssignments: { resourceAppId: string; roleValues: string[] }[];
  /** The MCP server URL this registration serves (remote and proxy). */
  serverUrl: string | null;
}

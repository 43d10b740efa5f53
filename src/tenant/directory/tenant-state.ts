/**
 * The dev tenant's state. Directory objects keep Microsoft Graph's v1.0 shapes so that the Graph
 * subset can return them as they are; what Graph never returns (hashes, keys, tokens) lives in
 * separate collections.
 */

export interface PermissionScope {
  id: string;
  value: string;
  type: "User" | "Admin";
  isEnabled: boolean;
  adminConsentDisplayName: string;
  adminConsentDescription: string;
  userConsentDisplayName: string | null;
  userConsentDescription: string | null;
  origin?: string;
}

export interface AppRole {
  id: string;
  value: string | null;
  displayName: string;
  description: string;
  allowedMemberTypes: ("User" | "Application")[];
  isEnabled: boolean;
  origin?: string;
}

export interface PreAuthorizedApplication {
  appId: string;
  delegatedPermissionIds: string[];
}

export interface RequiredResourceAccess {
  resourceAppId: string;
  resourceAccess: { id: string; type: "Scope" | "Role" }[];
}

export interface PasswordCredential {
  keyId: string;
  displayName: string | null;
  hint: string | null;
  startDateTime: string;
  endDateTime: string;
  customKeyIdentifier: string | null;
  secretText: null;
}

export interface KeyCredential {
  keyId: string;
  type: "AsymmetricX509Cert";
  usage: "Verify";
  displayName: string | null;
  /** Base64 of the certificate's SHA-1 thumbprint, as Graph returns it. */
  customKeyIdentifier: string;
  startDateTime: string;
  endDateTime: string;
  /** The DER certificate in base64; Graph returns null on reads. */
  key: string | null;
}

export interface Application {
  id: string;
  appId: string;
  displayName: string;
  description: string | null;
  uniqueName: string | null;
  signInAudience: string;
  identifierUris: string[];
  createdDateTime: string;
  deletedDateTime: null;
  isFallbackPublicClient: boolean | null;
  serviceManagementReference: string | null;
  notes: string | null;
  tags: string[];
  api: {
    requestedAccessTokenVersion: number | null;
    acceptMappedClaims: boolean | null;
    knownClientApplications: string[];
    oauth2PermissionScopes: PermissionScope[];
    preAuthorizedApplications: PreAuthorizedApplication[];
  };
  appRoles: AppRole[];
  web: {
    redirectUris: string[];
    homePageUrl: string | null;
    logoutUrl: string | null;
    implicitGrantSettings: { enableAccessTokenIssuance: boolean; enableIdTokenIssuance: boolean };
  };
  spa: { redirectUris: string[] };
  publicClient: { redirectUris: string[] };
  requiredResourceAccess: RequiredResourceAccess[];
  passwordCredentials: PasswordCredential[];
  keyCredentials: KeyCredential[];
  optionalClaims: unknown;
  info: Record<string, string | null>;
}

export interface ServicePrincipal {
  id: string;
  appId: string;
  displayName: string;
  appOwnerOrganizationId: string;
  /** "ManagedIdentity" for a user-assigned managed identity (see managed-identities.ts). */
  servicePrincipalType: "Application" | "ManagedIdentity";
  accountEnabled: boolean;
  appRoleAssignmentRequired: boolean;
  /** For Microsoft's own apps; for apps registered here the names derive from the application. */
  servicePrincipalNames: string[];
  appRoles: AppRole[];
  oauth2PermissionScopes: PermissionScope[];
  replyUrls: string[];
  signInAudience: string;
  tags: string[];
  createdDateTime: string;
}

export interface User {
  id: string;
  userPrincipalName: string;
  displayName: string;
  givenName: string | null;
  surname: string | null;
  mail: string | null;
  jobTitle: string | null;
  accountEnabled: boolean;
}

export interface OAuth2PermissionGrant {
  id: string;
  clientId: string;
  consentType: "AllPrincipals" | "Principal";
  principalId: string | null;
  resourceId: string;
  scope: string;
}

export interface AppRoleAssignment {
  id: string;
  appRoleId: string;
  createdDateTime: string;
  principalDisplayName: string;
  principalId: string;
  principalType: "User" | "ServicePrincipal" | "Group";
  resourceDisplayName: string;
  resourceId: string;
}

export interface FederatedIdentityCredential {
  id: string;
  name: string;
  issuer: string;
  subject: string;
  audiences: string[];
  description: string | null;
}

/** A refresh token is kept only as its hash, with what it may be redeemed for. */
export interface RefreshTokenRecord {
  clientId: string;
  userId: string;
  /** Scopes as the user granted them (fully qualified), plus the OIDC scopes. */
  scopes: string[];
  issuedAt: number;
  expiresAt: number;
  /** Every token rotated from one sign-in shares a family; a replayed code revokes the family. */
  family?: string;
  /** When the user signed in (seconds): the id_token's auth_time on refresh. */
  authTime?: number;
  /** Issued to a client that authenticated: redeeming it needs the client's credential again. */
  confidential?: boolean;
  /** Issued to a spa redirect URI: redeemed cross-origin only, and its family expires 24 h after sign-in. */
  spa?: boolean;
}

export interface SigningKeyRecord {
  kid: string;
  privateKeyPem: string;
  createdAt: string;
  /** Set when a newer key replaced it; it stays published until then + grace period. */
  retiredAt: string | null;
  publishedUntil: string | null;
}

export interface TenantSettings {
  /** When set, /authorize signs this user in and consents without showing a page. */
  autoApproveUserId: string | null;
}

export interface TenantState {
  schemaVersion: 1;
  tenant: { id: string; displayName: string; domain: string; createdDateTime: string };
  users: User[];
  administrators: string[];
  userPasswordHashes: Record<string, string>;
  applications: Application[];
  /** Application object id → owner object ids. */
  owners: Record<string, string[]>;
  /** Application object id → its federated identity credentials. */
  federatedIdentityCredentials: Record<string, FederatedIdentityCredential[]>;
  /** Password credential keyId → SHA-256 of the secret. */
  secretHashes: Record<string, string>;
  servicePrincipals: ServicePrincipal[];
  oauth2PermissionGrants: OAuth2PermissionGrant[];
  appRoleAssignments: AppRoleAssignment[];
  /** SHA-256 of the refresh token → what it grants. */
  refreshTokens: Record<string, RefreshTokenRecord>;
  signingKeys: SigningKeyRecord[];
  settings: TenantSettings;
}

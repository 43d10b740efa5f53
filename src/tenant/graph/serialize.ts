import { applicationByAppId } from "../directory/lookups.js";
import type {
  Application,
  AppRoleAssignment,
  FederatedIdentityCredential,
  OAuth2PermissionGrant,
  ServicePrincipal,
  TenantState,
  User,
} from "../directory/tenant-state.js";
import type { ResourceShape } from "./query.js";

/** Directory objects as Graph v1.0 returns them. */

export const APPLICATION: ResourceShape = {
  type: "application",
  filterable: {
    id: "string",
    appId: "string",
    displayName: "string",
    uniqueName: "string",
    signInAudience: "string",
    publisherDomain: "string",
    identifierUris: "collection",
    tags: "collection",
  },
};

export const SERVICE_PRINCIPAL: ResourceShape = {
  type: "servicePrincipal",
  filterable: {
    id: "string",
    appId: "string",
    displayName: "string",
    servicePrincipalType: "string",
    appOwnerOrganizationId: "string",
    accountEnabled: "boolean",
    servicePrincipalNames: "collection",
    tags: "collection",
  },
};

export const GRANT: ResourceShape = {
  type: "oAuth2PermissionGrant",
  filterable: {
    id: "string",
    clientId: "string",
    resourceId: "string",
    consentType: "string",
    principalId: "string",
  },
};

export const ASSIGNMENT: ResourceShape = {
  type: "appRoleAssignment",
  filterable: {
    id: "string",
    appRoleId: "string",
    principalId: "string",
    resourceId: "string",
    principalType: "string",
  },
};

export const FEDERATED_CREDENTIAL: ResourceShape = {
  type: "federatedIdentityCredential",
  filterable: { id: "string", name: "string", issuer: "string", subject: "string" },
};

export const USER: ResourceShape = {
  type: "user",
  filterable: {
    id: "string",
    userPrincipalName: "string",
    displayName: "string",
    mail: "string",
    givenName: "string",
    surname: "string",
    accountEnabled: "boolean",
  },
};

export const DIRECTORY_OBJECT: ResourceShape = { type: "directoryObject", filterable: { id: "string" } };

export function serializeApplication(state: TenantState, app: Application): Record<string, unknown> {
  const { id, appId, displayName, ...rest } = app;
  return {
    id,
    appId,
    displayName,
    ...rest,
    publisherDomain: state.tenant.domain,
    passwordCredentials: app.passwordCredentials.map((credential) => ({ ...credential, secretText: null })),
    keyCredentials: app.keyCredentials.map((credential) => ({ ...credential, key: null })),
  };
}

/** A service principal; what it publishes (roles, scopes, names) follows its application live. */
export function serializeServicePrincipal(state: TenantState, sp: ServicePrincipal): Record<string, unknown> {
  const app = applicationByAppId(state, sp.appId);
  const live = app
    ? {
        displayName: app.displayName,
        appDisplayName: app.displayName,
        appDescription: app.description,
        servicePrincipalNames: [app.appId, ...app.identifierUris],
        appRoles: app.appRoles,
        oauth2PermissionScopes: app.api.oauth2PermissionScopes,
        replyUrls: [...app.web.redirectUris, ...app.spa.redirectUris, ...app.publicClient.redirectUris],
        signInAudience: app.signInAudience,
      }
    : { appDisplayName: sp.displayName, appDescription: null };
  const { id, ...rest } = sp;
  return { id, deletedDateTime: null, ...rest, ...live };
}

export function serializeUser(user: User): Record<string, unknown> {
  return {
    id: user.id,
    businessPhones: [],
    displayName: user.displayName,
    givenName: user.givenName,
    jobTitle: user.jobTitle,
    mail: user.mail,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: null,
    surname: user.surname,
    userPrincipalName: user.userPrincipalName,
    accountEnabled: user.accountEnabled,
  };
}

export function serializeOrganization(state: TenantState): Record<string, unknown> {
  const { tenant } = state;
  return {
    id: tenant.id,
    deletedDateTime: null,
    createdDateTime: tenant.createdDateTime,
    displayName: tenant.displayName,
    tenantType: "AAD",
    countryLetterCode: null,
    businessPhones: [],
    technicalNotificationMails: [],
    assignedPlans: [],
    verifiedDomains: [
      {
        capabilities: "Email, OfficeCommunicationsOnline",
        isDefault: true,
        isInitial: true,
        name: tenant.domain,
        type: "Managed",
      },
    ],
  };
}

export function serializeGrant(grant: OAuth2PermissionGrant): Record<string, unknown> {
  return { ...grant };
}

export function serializeAssignment(assignment: AppRoleAssignment): Record<string, unknown> {
  return { deletedDateTime: null, ...assignment };
}

export function serializeFederatedCredential(
  credential: FederatedIdentityCredential,
): Record<string, unknown> {
  return { ...credential };
}

/** A directory object (as in `owners`), typed by `@odata.type`. */
export function serializeDirectoryObject(
  state: TenantState,
  id: string,
): Record<string, unknown> | undefined {
  const user = state.users.find((candidate) => candidate.id === id);
  if (user) return { "@odata.type": "#microsoft.graph.user", ...serializeUser(user) };
  const sp = state.servicePrincipals.find((candidate) => candidate.id === id);
  if (sp)
    return { "@odata.type": "#microsoft.graph.servicePrincipal", ...serializeServicePrincipal(state, sp) };
  return undefined;
}

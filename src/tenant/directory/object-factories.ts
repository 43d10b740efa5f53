import { randomBytes, randomUUID } from "node:crypto";
import { hashSecret } from "../secrets/passwords.js";
import { recordIssuedSecret } from "../secrets/secret-ledger.js";
import type {
  Application,
  AppRoleAssignment,
  OAuth2PermissionGrant,
  PasswordCredential,
  ServicePrincipal,
  TenantState,
} from "./tenant-state.js";

/** Factories for directory objects that both the identity endpoints and Graph create. */

export function newServicePrincipal(
  state: TenantState,
  application: Application,
  now: string,
): ServicePrincipal {
  return {
    id: randomUUID(),
    appId: application.appId,
    displayName: application.displayName,
    appOwnerOrganizationId: state.tenant.id,
    servicePrincipalType: "Application",
    accountEnabled: true,
    appRoleAssignmentRequired: false,
    servicePrincipalNames: [application.appId, ...application.identifierUris],
    appRoles: application.appRoles,
    oauth2PermissionScopes: application.api.oauth2PermissionScopes,
    replyUrls: [
      ...application.web.redirectUris,
      ...application.spa.redirectUris,
      ...application.publicClient.redirectUris,
    ],
    signInAudience: application.signInAudience,
    tags: [],
    createdDateTime: now,
  };
}

/** Graph's object id for an oauth2PermissionGrant is an opaque base64url string. */
export function newGrantId(): string {
  return randomBytes(33).toString("base64url");
}

/**
 * Adds scope values to the client's grant for a resource (one grant per client, resource and
 * principal, as in Entra), creating the grant when there is none.
 */
export function addToGrant(
  state: TenantState,
  grant: Omit<OAuth2PermissionGrant, "id" | "scope">,
  values: string[],
): OAuth2PermissionGrant {
  const existing = state.oauth2PermissionGrants.find(
    (candidate) =>
      candidate.clientId === grant.clientId &&
      candidate.resourceId === grant.resourceId &&
      candidate.consentType === grant.consentType &&
      candidate.principalId === grant.principalId,
  );
  if (existing) {
    const scopes = new Set(existing.scope.split(" ").filter(Boolean));
    for (const value of values) scopes.add(value);
    existing.scope = [...scopes].join(" ");
    return existing;
  }
  const created = { id: newGrantId(), ...grant, scope: values.join(" ") };
  state.oauth2PermissionGrants.push(created);
  return created;
}

export type ApplicationInput = Partial<Omit<Application, "api" | "web" | "spa" | "publicClient">> & {
  displayName: string;
  api?: Partial<Application["api"]>;
  web?: Partial<Application["web"]>;
  spa?: Partial<Application["spa"]>;
  publicClient?: Partial<Application["publicClient"]>;
};

/** A new application object with Graph's defaults for every property the input leaves out. */
export function newApplication(input: ApplicationInput, now: string): Application {
  return {
    description: null,
    uniqueName: null,
    signInAudience: "AzureADMyOrg",
    identifierUris: [],
    deletedDateTime: null,
    isFallbackPublicClient: null,
    serviceManagementReference: null,
    notes: null,
    tags: [],
    appRoles: [],
    requiredResourceAccess: [],
    passwordCredentials: [],
    keyCredentials: [],
    optionalClaims: null,
    info: {
      logoUrl: null,
      marketingUrl: null,
      privacyStatementUrl: null,
      supportUrl: null,
      termsOfServiceUrl: null,
    },
    ...input,
    id: randomUUID(),
    appId: randomUUID(),
    createdDateTime: now,
    api: {
      requestedAccessTokenVersion: null,
      acceptMappedClaims: null,
      knownClientApplications: [],
      oauth2PermissionScopes: [],
      preAuthorizedApplications: [],
      ...input.api,
    },
    web: {
      redirectUris: [],
      homePageUrl: null,
      logoutUrl: null,
      implicitGrantSettings: { enableAccessTokenIssuance: false, enableIdTokenIssuance: false },
      ...input.web,
    },
    spa: { redirectUris: [], ...input.spa },
    publicClient: { redirectUris: [], ...input.publicClient },
  };
}

const DEFAULT_SECRET_LIFETIME_MS = 2 * 365 * 24 * 3600 * 1000;

/**
 * Adds a client secret to an application: the credential (without its value) goes on the app, the
 * value's hash into the tenant's secret store, and the value is returned once.
 */
export function addPassword(
  state: TenantState,
  application: Application,
  input: { displayName?: string | null; endDateTime?: string | null; startDateTime?: string | null },
  nowMs: number,
): { credential: PasswordCredential; secretText: string } {
  const secretText = `${randomBytes(3).toString("base64url").slice(0, 3)}8Q~${randomBytes(30).toString("base64url")}`;
  const credential: PasswordCredential = {
    keyId: randomUUID(),
    displayName: input.displayName ?? null,
    hint: secretText.slice(0, 3),
    startDateTime: input.startDateTime ?? new Date(nowMs).toISOString(),
    endDateTime: input.endDateTime ?? new Date(nowMs + DEFAULT_SECRET_LIFETIME_MS).toISOString(),
    customKeyIdentifier: null,
    secretText: null,
  };
  application.passwordCredentials.push(credential);
  state.secretHashes[credential.keyId] = hashSecret(secretText);
  recordIssuedSecret(secretText);
  return { credential, secretText };
}

/** An app role assignment of `principal` (a user or service principal) to a role of `resource`. */
export function newAppRoleAssignment(
  principal: { id: string; displayName: string; type: AppRoleAssignment["principalType"] },
  resource: ServicePrincipal,
  appRoleId: string,
  now: string,
): AppRoleAssignment {
  return {
    id: randomBytes(33).toString("base64url"),
    appRoleId,
    createdDateTime: now,
    principalDisplayName: principal.displayName,
    principalId: principal.id,
    principalType: principal.type,
    resourceDisplayName: resource.displayName,
    resourceId: resource.id,
  };
}

/** Removes a service principal with the grants and role assignments that name it. */
export function removeServicePrincipal(state: TenantState, sp: ServicePrincipal): void {
  state.servicePrincipals = state.servicePrincipals.filter((candidate) => candidate.id !== sp.id);
  state.oauth2PermissionGrants = state.oauth2PermissionGrants.filter(
    (grant) => grant.clientId !== sp.id && grant.resourceId !== sp.id,
  );
  state.appRoleAssignments = state.appRoleAssignments.filter(
    (assignment) => assignment.principalId !== sp.id && assignment.resourceId !== sp.id,
  );
  delete state.owners[sp.id];
  for (const [objectId, owners] of Object.entries(state.owners)) {
    state.owners[objectId] = owners.filter((owner) => owner !== sp.id);
  }
}

/**
 * Deletes an application as Entra does: its service principal goes with it (and so its grants and
 * assignments), and so do its owners, federated credentials and secrets.
 */
export function removeApplication(state: TenantState, application: Application): void {
  state.applications = state.applications.filter((candidate) => candidate.id !== application.id);
  for (const sp of state.servicePrincipals.filter((candidate) => candidate.appId === application.appId)) {
    removeServicePrincipal(state, sp);
  }
  for (const credential of application.passwordCredentials) delete state.secretHashes[credential.keyId];
  delete state.owners[application.id];
  delete state.federatedIdentityCredentials[application.id];
}

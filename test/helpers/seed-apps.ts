import { randomUUID } from "node:crypto";
import {
  type ApplicationInput,
  addPassword,
  addToGrant,
  newApplication,
  newServicePrincipal,
} from "../../src/tenant/directory/object-factories.js";
import type {
  Application,
  AppRole,
  PermissionScope,
  ServicePrincipal,
} from "../../src/tenant/directory/tenant-state.js";
import type { DevTenant } from "../../src/tenant/index.js";

/** Seeds app registrations straight into a running dev tenant's store, for tests. */

export interface SeedAppOptions extends Omit<ApplicationInput, "displayName"> {
  displayName?: string;
  /** Sets api://{appId} as the Application ID URI (default true). */
  identifierUri?: boolean;
  /** Creates the service principal (default true). */
  servicePrincipal?: boolean;
  /** Adds a client secret; `{ endDateTime }` makes it expire then. */
  secret?: boolean | { endDateTime: string };
  /** Delegated permissions the app exposes, by value (user-consentable). */
  exposes?: string[];
  /** App roles the app defines, by value, assignable to applications and users. */
  roles?: string[];
  /** requestedAccessTokenVersion: 2 for v2 access tokens (default: Entra's default, v1). */
  tokenVersion?: 1 | 2;
}

export interface SeededApp {
  appId: string;
  application: Application;
  servicePrincipal?: ServicePrincipal;
  /** The client secret's value, when one was asked for. */
  secret?: string;
  /** `api://{appId}` (the Application ID URI, when set). */
  uri: string;
}

function scope(value: string): PermissionScope {
  return {
    id: randomUUID(),
    value,
    type: "User",
    isEnabled: true,
    adminConsentDisplayName: value,
    adminConsentDescription: value,
    userConsentDisplayName: value,
    userConsentDescription: value,
  };
}

function role(value: string): AppRole {
  return {
    id: randomUUID(),
    value,
    displayName: value,
    description: value,
    allowedMemberTypes: ["Application", "User"],
    isEnabled: true,
  };
}

export function seedApp(tenant: DevTenant, options: SeedAppOptions = {}): Promise<SeededApp> {
  const {
    identifierUri = true,
    servicePrincipal = true,
    secret,
    exposes,
    roles,
    tokenVersion,
    ...input
  } = options;
  return tenant.store.commit((state) => {
    const now = new Date(tenant.clock.now()).toISOString();
    const application = newApplication(
      {
        ...input,
        displayName: input.displayName ?? `test app ${state.applications.length + 1}`,
        appRoles: [...(input.appRoles ?? []), ...(roles ?? []).map(role)],
        api: {
          ...input.api,
          ...(tokenVersion ? { requestedAccessTokenVersion: tokenVersion } : {}),
          oauth2PermissionScopes: [
            ...(input.api?.oauth2PermissionScopes ?? []),
            ...(exposes ?? []).map(scope),
          ],
        },
      },
      now,
    );
    if (identifierUri) application.identifierUris = [`api://${application.appId}`];
    state.applications.push(application);
    const sp = servicePrincipal ? newServicePrincipal(state, application, now) : undefined;
    if (sp) state.servicePrincipals.push(sp);
    const password = secret
      ? addPassword(state, application, typeof secret === "object" ? secret : {}, tenant.clock.now())
      : undefined;
    return {
      appId: application.appId,
      application,
      servicePrincipal: sp,
      secret: password?.secretText,
      uri: `api://${application.appId}`,
    };
  });
}

function spOf(tenant: DevTenant, appId: string): ServicePrincipal {
  const sp = tenant.store.state.servicePrincipals.find((candidate) => candidate.appId === appId);
  if (!sp) throw new Error(`No service principal for ${appId}`);
  return sp;
}

/**
 * Consent for `client` to `scopes` of `resource` (appIds): tenant-wide (admin consent) by default,
 * or for one user when `userId` is given.
 */
export function grantConsent(
  tenant: DevTenant,
  input: { client: string; resource: string; scopes: string[]; userId?: string },
): Promise<void> {
  return tenant.store.commit((state) => {
    addToGrant(
      state,
      {
        clientId: spOf(tenant, input.client).id,
        resourceId: spOf(tenant, input.resource).id,
        consentType: input.userId ? "Principal" : "AllPrincipals",
        principalId: input.userId ?? null,
      },
      input.scopes,
    );
  });
}

/** Assigns the app role `role` of `resource` to the service principal of `client` (appIds). */
export function assignAppRole(
  tenant: DevTenant,
  input: { client: string; resource: string; role: string },
): Promise<void> {
  return tenant.store.commit((state) => {
    const client = spOf(tenant, input.client);
    const resource = spOf(tenant, input.resource);
    const appRole = resource.appRoles.find((candidate) => candidate.value === input.role);
    if (!appRole) throw new Error(`No app role ${input.role} on ${input.resource}`);
    state.appRoleAssignments.push({
      id: randomUUID(),
      appRoleId: appRole.id,
      createdDateTime: new Date(tenant.clock.now()).toISOString(),
      principalDisplayName: client.displayName,
      principalId: client.id,
      principalType: "ServicePrincipal",
      resourceDisplayName: resource.displayName,
      resourceId: resource.id,
    });
  });
}

function applicationOf(tenant: DevTenant, appId: string): Application {
  const application = tenant.store.state.applications.find((candidate) => candidate.appId === appId);
  if (!application) throw new Error(`No application ${appId}`);
  return application;
}

/** Registers a certificate (base64 DER) as a key credential of the app, as Graph stores it. */
export function addCertificateCredential(
  tenant: DevTenant,
  appId: string,
  certificate: { derBase64: string; sha1Base64: string; notBefore: Date; notAfter: Date },
): Promise<void> {
  return tenant.store.commit(() => {
    applicationOf(tenant, appId).keyCredentials.push({
      keyId: randomUUID(),
      type: "AsymmetricX509Cert",
      usage: "Verify",
      displayName: "CN=test",
      customKeyIdentifier: certificate.sha1Base64,
      startDateTime: certificate.notBefore.toISOString(),
      endDateTime: certificate.notAfter.toISOString(),
      key: certificate.derBase64,
    });
  });
}

/** Adds a federated identity credential (issuer, subject, audiences) to the app. */
export function addFederatedCredential(
  tenant: DevTenant,
  appId: string,
  credential: { issuer: string; subject: string; audiences?: string[]; name?: string },
): Promise<void> {
  return tenant.store.commit((state) => {
    const application = applicationOf(tenant, appId);
    const list = state.federatedIdentityCredentials[application.id] ?? [];
    list.push({
      id: randomUUID(),
      name: credential.name ?? `fic-${list.length + 1}`,
      issuer: credential.issuer,
      subject: credential.subject,
      audiences: credential.audiences ?? ["api://AzureADTokenExchange"],
      description: null,
    });
    state.federatedIdentityCredentials[application.id] = list;
  });
}

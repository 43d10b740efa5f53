import { FIRST_PARTY_CLIENTS, MICROSOFT_GRAPH_APP_ID } from "../../entra/well-known.js";
import type {
  Application,
  AppRole,
  PermissionScope,
  PreAuthorizedApplication,
  RequiredResourceAccess,
  ServicePrincipal,
  TenantState,
  User,
} from "./tenant-state.js";

/** Lookups over the tenant's directory that both the identity endpoints and Graph use. */

export function applicationByAppId(state: TenantState, appId: string): Application | undefined {
  const wanted = appId.toLowerCase();
  return state.applications.find((app) => app.appId === wanted);
}

export function servicePrincipalByAppId(state: TenantState, appId: string): ServicePrincipal | undefined {
  const wanted = appId.toLowerCase();
  return state.servicePrincipals.find((sp) => sp.appId === wanted);
}

export function userById(state: TenantState, id: string): User | undefined {
  return state.users.find((user) => user.id === id);
}

export function userByIdOrUpn(state: TenantState, idOrUpn: string): User | undefined {
  const wanted = idOrUpn.toLowerCase();
  return state.users.find((user) => user.id === wanted || user.userPrincipalName === wanted);
}

export function isAdministrator(state: TenantState, userId: string): boolean {
  return state.administrators.includes(userId);
}

/** A client as the identity endpoints see it: an app registered here, or a Microsoft public client. */
export interface ClientApp {
  appId: string;
  displayName: string;
  application?: Application;
  servicePrincipal?: ServicePrincipal;
  firstParty: boolean;
  /** A Microsoft client consented to Graph's user-consentable scopes in every tenant. */
  graphPreConsented: boolean;
  /** Public client flows (device code, no credential) are allowed. */
  allowsPublicFlows: boolean;
  redirectUris: { web: string[]; spa: string[]; publicClient: string[] };
  requiredResourceAccess: RequiredResourceAccess[];
}

export function clientByAppId(state: TenantState, appId: string): ClientApp | undefined {
  const application = applicationByAppId(state, appId);
  const servicePrincipal = servicePrincipalByAppId(state, appId);
  if (application) {
    return {
      appId: application.appId,
      displayName: application.displayName,
      application,
      servicePrincipal,
      firstParty: false,
      graphPreConsented: false,
      allowsPublicFlows: application.isFallbackPublicClient === true,
      redirectUris: {
        web: application.web.redirectUris,
        spa: application.spa.redirectUris,
        publicClient: application.publicClient.redirectUris,
      },
      requiredResourceAccess: application.requiredResourceAccess,
    };
  }
  const firstParty = FIRST_PARTY_CLIENTS.find((client) => client.appId === appId.toLowerCase());
  if (firstParty && servicePrincipal) {
    return {
      appId: firstParty.appId,
      displayName: firstParty.displayName,
      servicePrincipal,
      firstParty: true,
      graphPreConsented: firstParty.graphPreConsented,
      allowsPublicFlows: true,
      redirectUris: { web: [], spa: [], publicClient: servicePrincipal.replyUrls },
      requiredResourceAccess: [],
    };
  }
  return undefined;
}

/** An API that tokens can be issued for: it must have a service principal in the tenant. */
export interface ResourceApp {
  appId: string;
  displayName: string;
  servicePrincipal: ServicePrincipal;
  /** Names that identify it in scopes and the `resource` parameter (Application ID URIs). */
  identifierUris: string[];
  scopes: PermissionScope[];
  appRoles: AppRole[];
  preAuthorizedApplications: PreAuthorizedApplication[];
  accessTokenVersion: 1 | 2;
  isMicrosoftGraph: boolean;
}

export function resourceFromServicePrincipal(state: TenantState, sp: ServicePrincipal): ResourceApp {
  const application = applicationByAppId(state, sp.appId);
  if (application) {
    return {
      appId: application.appId,
      displayName: application.displayName,
      servicePrincipal: sp,
      identifierUris: application.identifierUris,
      scopes: application.api.oauth2PermissionScopes,
      appRoles: application.appRoles,
      preAuthorizedApplications: application.api.preAuthorizedApplications,
      accessTokenVersion: application.api.requestedAccessTokenVersion === 2 ? 2 : 1,
      isMicrosoftGraph: false,
    };
  }
  return {
    appId: sp.appId,
    displayName: sp.displayName,
    servicePrincipal: sp,
    identifierUris: sp.servicePrincipalNames.filter((name) => name.includes("://")),
    scopes: sp.oauth2PermissionScopes,
    appRoles: sp.appRoles,
    preAuthorizedApplications: [],
    accessTokenVersion: 1,
    isMicrosoftGraph: sp.appId === MICROSOFT_GRAPH_APP_ID,
  };
}

/** Finds the API named by an identifier: its appId, or one of its Application ID URIs. */
export function resourceByIdentifier(state: TenantState, identifier: string): ResourceApp | undefined {
  const wanted = stripSlash(identifier.toLowerCase());
  for (const sp of state.servicePrincipals) {
    if (sp.appId === wanted) return resourceFromServicePrincipal(state, sp);
    const resource = resourceFromServicePrincipal(state, sp);
    if (resource.identifierUris.some((uri) => stripSlash(uri.toLowerCase()) === wanted)) return resource;
  }
  return undefined;
}

function stripSlash(value: string): string {
  return value.endsWith("/") ? value.slice(0, -1) : value;
}

export function microsoftGraph(state: TenantState): ResourceApp {
  const sp = servicePrincipalByAppId(state, MICROSOFT_GRAPH_APP_ID);
  if (!sp) throw new Error("The dev tenant has no Microsoft Graph service principal");
  return resourceFromServicePrincipal(state, sp);
}

import type { ProjectApp } from "../../core/project-config.js";
import type { TenantTarget } from "../tenant-target.js";
import type { ApplyOutcome } from "./apply-registration.js";
import type { DesiredRegistration } from "./model.js";

/** The .env variable that holds a registration's client secret. */
export function secretVariable(desired: Pick<DesiredRegistration, "preset">): string {
  return desired.preset === "ci" ? "MCP_CLIENT_SECRET" : "ENTRA_CLIENT_SECRET";
}

/** The fully qualified scopes of the API, e.g. api://<appId>/user_impersonation. */
export function qualifiedScopes(appIdUri: string | undefined, desired: DesiredRegistration): string[] {
  return appIdUri ? desired.scopes.map((scope) => `${appIdUri}/${scope.value}`) : [];
}

/** What mcp-entra.json records for the registration (never a secret). */
export function projectAppRecord(
  desired: DesiredRegistration,
  outcome: ApplyOutcome,
  known?: ProjectApp,
): ProjectApp {
  const appIdUri = outcome.app.identifierUris[0];
  return {
    preset: desired.preset,
    displayName: desired.displayName,
    uniqueName: desired.uniqueName,
    appId: outcome.app.appId,
    objectId: outcome.app.id,
    servicePrincipalId: outcome.servicePrincipal.id,
    appIdUri,
    serverUrl: desired.serverUrl ?? undefined,
    scopes: qualifiedScopes(appIdUri, desired),
    roles: desired.roles.map((role) => role.value),
    secret: outcome.secret?.current ?? (desired.credential.kind === "secret" ? known?.secret : undefined),
    federatedCredentials: outcome.federatedCredentials,
    managedIdentity:
      desired.credential.kind === "managed-identity"
        ? { ...desired.credential.identity, issuer: desired.credential.issuer }
        : undefined,
    apiAppId: desired.roleAssignments[0]?.resourceAppId,
  };
}

/**
 * The variables the scaffolds read (templates/<name>/.env.example), for this registration. Values
 * that do not apply are removed (undefined), so a project never keeps a stale dev-tenant CA path.
 */
export function envValues(
  desired: DesiredRegistration,
  record: ProjectApp,
  target: TenantTarget,
): Record<string, string | undefined> {
  const common = {
    ENTRA_TENANT_ID: target.tenantId,
    ENTRA_AUTHORITY_HOST: target.authorityHost,
    // The dev tenant's CA, for whatever starts the server with .env as its environment (VS Code's
    // envFile, docker --env-file); Node reads it only at start-up, so .env loaded later cannot set it.
    NODE_EXTRA_CA_CERTS: target.kind === "dev" ? target.caFile : undefined,
    GRAPH_BASE_URL: `${target.graphBaseUrl}/v1.0`,
  };
  if (desired.preset === "ci") {
    return { ENTRA_TENANT_ID: target.tenantId, MCP_CLIENT_ID: record.appId };
  }
  if (desired.preset === "local") return { ...common, ENTRA_CLIENT_ID: record.appId };
  const credential = desired.credential;
  const certificateEnv =
    credential.kind === "certificate"
      ? {
          // The managed secret is removed when a certificate takes its place: keep .env in step.
          ENTRA_CLIENT_SECRET: undefined,
          ...(credential.hasPrivateKey ? { ENTRA_CLIENT_CERTIFICATE_PATH: credential.path } : {}),
        }
      : {};
  const managedIdentityEnv =
    credential.kind === "managed-identity"
      ? {
          // No secret and no certificate: the identity's token is the server's only credential.
          ENTRA_CLIENT_SECRET: undefined,
          ENTRA_CLIENT_CERTIFICATE_PATH: undefined,
          ENTRA_MANAGED_IDENTITY_CLIENT_ID: credential.identity.clientId,
        }
      : { ENTRA_MANAGED_IDENTITY_CLIENT_ID: undefined };
  const url = desired.serverUrl ? new URL(desired.serverUrl) : undefined;
  const loopback = url && ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
  return {
    ...common,
    ENTRA_CLIENT_ID: record.appId,
    ENTRA_APP_ID_URI: record.appIdUri,
    MCP_SERVER_URL: desired.serverUrl ?? undefined,
    MCP_SCOPE: record.scopes[0],
    ...certificateEnv,
    ...managedIdentityEnv,
    ...(loopback && url?.port ? { PORT: url.port } : {}),
  };
}

/**
 * For a managed identity registered in the dev tenant: IDENTITY_ENDPOINT and IDENTITY_HEADER, which
 * an Azure host gives its processes, so that the server started with .env signs in with the identity
 * through the dev tenant's managed identity endpoint. Removed again when the server uses another
 * credential; a real tenant's hosts set them themselves.
 */
export async function managedIdentityHostEnv(
  desired: DesiredRegistration,
  target: TenantTarget,
): Promise<Record<string, string | undefined>> {
  if (desired.preset !== "remote" && desired.preset !== "proxy") return {};
  if (desired.credential.kind === "managed-identity" && target.managedIdentityHost) {
    return target.managedIdentityHost();
  }
  return { IDENTITY_ENDPOINT: undefined, IDENTITY_HEADER: undefined };
}

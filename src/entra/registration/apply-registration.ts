import type { ProjectApp } from "../../core/project-config.js";
import type { Application, ServicePrincipal } from "../../tenant/directory/tenant-state.js";
import type { GraphApi } from "../graph-api.js";
import type { DesiredRegistration } from "./model.js";
import { type ConsentOutcome, ensureAdminConsent } from "./steps/admin-consent.js";
import { ensureApplication } from "./steps/application.js";
import { ensureGraphAppRoles } from "./steps/application-permissions.js";
import { type CertificateOutcome, ensureCertificate } from "./steps/certificate.js";
import { ensureClientSecret, type IssuedSecret, type SecretOutcome } from "./steps/client-secret.js";
import { ensureFederatedCredentials } from "./steps/federated-credentials.js";
import { ensureOwners, resolveOwners } from "./steps/owners.js";
import { ensureRoleAssignments } from "./steps/role-assignments.js";
import { ensureServicePrincipal, type ResourcePrincipal } from "./steps/service-principal.js";

export interface ApplyInput {
  desired: DesiredRegistration;
  /** What mcp-entra.json recorded for this registration. */
  known?: ProjectApp;
  /** The signed-in user or app; made an owner when the app is created. */
  callerObjectId?: string;
  /** Whether .env holds the value of the recorded secret. */
  secretInEnv: boolean;
  /** Writes a new secret to .env (and its id to mcp-entra.json) before old ones are removed. */
  persistSecret: (secret: IssuedSecret) => Promise<void>;
  /** Records ids as soon as they exist, so an interrupted run finds its objects again. */
  checkpoint: (ids: { appId: string; objectId: string; servicePrincipalId?: string }) => Promise<void>;
  progress: (message: string) => void;
  /** Resource service principals already read (Microsoft Graph's, for its permission names). */
  resources?: ResourcePrincipal[];
  /** Resources of which the registration held application permissions before (to remove them). */
  hadApplicationPermissions?: string[];
}

export interface ApplyOutcome {
  app: Application;
  createdApp: boolean;
  servicePrincipal: ServicePrincipal;
  secret?: SecretOutcome;
  certificate?: CertificateOutcome;
  federatedCredentials: string[];
  consent?: ConsentOutcome;
  roleAssignments: string[];
}

/**
 * Makes the tenant hold the desired registration, in the order Graph needs: application (create,
 * then identifier URI and pre-authorization), service principal, credentials, consent, roles,
 * owners. Every step reads before it writes and writes only differences.
 */
export async function applyRegistration(graph: GraphApi, input: ApplyInput): Promise<ApplyOutcome> {
  const { desired, known, progress } = input;
  progress("Application");
  const ownerIds = await resolveOwners(graph, desired.owners);
  const creators = input.callerObjectId ? [input.callerObjectId, ...ownerIds] : ownerIds;
  const { app, created } = await ensureApplication(graph, desired, { appId: known?.appId }, [
    ...new Set(creators),
  ]);
  if (!graph.dryRun) await input.checkpoint({ appId: app.appId, objectId: app.id });

  progress("Service principal");
  const sp = await ensureServicePrincipal(graph, app.appId, created);
  if (!graph.dryRun) {
    await input.checkpoint({
      appId: app.appId,
      objectId: app.id,
      servicePrincipalId: sp.servicePrincipal.id,
    });
  }

  progress("Credentials");
  // New credentials first: a secret mcp-entra no longer uses is removed only once its successor exists.
  const certificate =
    desired.credential.kind === "certificate"
      ? await ensureCertificate(graph, app, desired.credential)
      : undefined;
  const federatedCredentials = await ensureFederatedCredentials(
    graph,
    app.id,
    desired.federatedCredentials,
    known?.federatedCredentials ?? [],
    created,
  );
  const secret =
    desired.credential.kind === "secret" || app.passwordCredentials.length > 0
      ? await ensureClientSecret(
          graph,
          app,
          desired.credential,
          { keyId: known?.secret?.keyId, valueInEnv: input.secretInEnv, label: desired.key },
          input.persistSecret,
        )
      : undefined;

  let consent: ConsentOutcome | undefined;
  if (desired.adminConsent) {
    progress("Admin consent");
    const ownScopes = desired.consentToOwnScopes
      ? [{ resourceAppId: app.appId, scopes: desired.scopes }]
      : [];
    consent = await ensureAdminConsent(
      graph,
      sp.servicePrincipal,
      [...desired.requiredResourceAccess, ...ownScopes].map(({ resourceAppId, scopes }) => ({
        resourceAppId,
        scopes: scopes.map((scope) => scope.value),
      })),
      sp.created,
      input.resources,
    );
    await ensureGraphAppRoles(graph, {
      principal: { id: sp.servicePrincipal.id, isNew: sp.created },
      permissions: desired.requiredResourceAccess.filter(
        (entry) => entry.roles.length > 0 || input.hadApplicationPermissions?.includes(entry.resourceAppId),
      ),
      resources: input.resources,
      outcome: consent,
    });
  }
  let roleAssignments: string[] = [];
  if (desired.roleAssignments.length > 0) {
    progress("App role assignments");
    roleAssignments = await ensureRoleAssignments(
      graph,
      sp.servicePrincipal.id,
      desired.roleAssignments,
      sp.created,
    );
  }
  if (!created && ownerIds.length > 0) {
    progress("Owners");
    await ensureOwners(graph, app.id, ownerIds);
  }
  return {
    app,
    createdApp: created,
    servicePrincipal: sp.servicePrincipal,
    secret,
    certificate,
    federatedCredentials,
    consent,
    roleAssignments,
  };
}

import type { Ui } from "../../../core/ui.js";
import type { AppShowResult } from "./app-show.js";
import { expiryText, secretStatuses } from "./credential-status.js";
import { clientName, permissionName, resourceName } from "./names.js";

/** What `app show --json` prints: the registration, its credentials (never a value) and its drift. */
export function appShowJson(result: AppShowResult) {
  const { opened, tenant, drift } = result;
  const { app, servicePrincipal: sp } = tenant;
  const appIdUri = app.identifierUris[0];
  const scopeValue = (id: string) => app.api.oauth2PermissionScopes.find((s) => s.id === id)?.value ?? id;
  return {
    ok: true,
    tenant: { kind: opened.target.kind, id: opened.target.tenantId, domain: opened.target.domain },
    key: opened.key,
    preset: opened.record.preset,
    app: {
      displayName: app.displayName,
      appId: app.appId,
      objectId: app.id,
      uniqueName: app.uniqueName,
      signInAudience: app.signInAudience,
      identifierUris: app.identifierUris,
      requestedAccessTokenVersion: app.api.requestedAccessTokenVersion,
      scopes: app.api.oauth2PermissionScopes.map((scope) => ({
        value: scope.value,
        qualified: appIdUri ? `${appIdUri}/${scope.value}` : scope.value,
        type: scope.type,
        isEnabled: scope.isEnabled,
      })),
      roles: app.appRoles.map((role) => ({
        value: role.value,
        allowedMemberTypes: role.allowedMemberTypes,
        isEnabled: role.isEnabled,
      })),
      redirectUris: {
        web: app.web.redirectUris,
        spa: app.spa.redirectUris,
        publicClient: app.publicClient.redirectUris,
      },
      isFallbackPublicClient: app.isFallbackPublicClient,
      preAuthorizedClients: app.api.preAuthorizedApplications.map((entry) => ({
        appId: entry.appId,
        displayName: tenant.clientNames[entry.appId] ?? entry.appId,
        scopes: entry.delegatedPermissionIds.map(scopeValue),
      })),
      requiredResourceAccess: app.requiredResourceAccess.map((entry) => ({
        resourceAppId: entry.resourceAppId,
        resource: resourceName(entry.resourceAppId),
        delegated: entry.resourceAccess
          .filter((a) => a.type === "Scope")
          .map((a) => permissionName(entry.resourceAppId, a.id, "Scope", tenant.graphPermissions)),
        application: entry.resourceAccess
          .filter((a) => a.type === "Role")
          .map((a) => permissionName(entry.resourceAppId, a.id, "Role", tenant.graphPermissions)),
      })),
    },
    servicePrincipal: sp
      ? {
          id: sp.id,
          accountEnabled: sp.accountEnabled,
          appRoleAssignmentRequired: sp.appRoleAssignmentRequired,
        }
      : null,
    credentials: {
      secretVariable: result.secretVariable,
      secrets: secretStatuses(app, opened.record, result.secretInEnv),
      certificates: app.keyCredentials.map((c) => ({
        keyId: c.keyId,
        displayName: c.displayName,
        thumbprint: c.customKeyIdentifier,
        endDateTime: c.endDateTime,
      })),
      federated: tenant.federatedCredentials.map((c) => ({
        name: c.name,
        issuer: c.issuer,
        subject: c.subject,
        audiences: c.audiences,
      })),
    },
    grants: tenant.grants.map((grant) => ({
      id: grant.id,
      resource: grant.resourceName,
      resourceAppId: grant.resourceAppId,
      consentType: grant.consentType,
      principalId: grant.principalId,
      scope: grant.scope,
    })),
    appRoleAssignments: {
      holds: tenant.roleAssignments.map((a) => ({
        id: a.id,
        resource: a.resourceDisplayName,
        resourceAppId: a.resourceAppId,
        role: a.roleValue,
      })),
      heldBy: tenant.roleHolders.map((a) => ({
        id: a.id,
        principal: a.principalDisplayName,
        principalType: a.principalType,
        role: a.roleValue,
      })),
    },
    drift,
  };
}

/** The human view of `app show`. */
export function renderAppShow(result: AppShowResult, ui: Ui): void {
  const json = appShowJson(result);
  if (ui.json) {
    ui.printJson(json);
    return;
  }
  const c = ui.color;
  const { app } = json;
  const row = (label: string, value: string | undefined) =>
    value && ui.print(`  ${label.padEnd(20)} ${value}`);
  ui.print(`${c.bold(app.displayName)} (${json.key}) in ${result.opened.target.label}`);
  row("Client (app) id", app.appId);
  row("Object id", app.objectId);
  row("Service principal", json.servicePrincipal?.id ?? c.red("missing"));
  row("Sign-in audience", app.signInAudience);
  row("Application ID URI", app.identifierUris.join(", "));
  row("Token version", app.requestedAccessTokenVersion ? `v${app.requestedAccessTokenVersion}` : undefined);
  row("Scopes", app.scopes.map((s) => `${s.qualified}${s.isEnabled ? "" : " (disabled)"}`).join(", "));
  row("App roles", app.roles.map((r) => `${r.value}${r.isEnabled ? "" : " (disabled)"}`).join(", "));
  for (const [platform, label] of [
    ["web", "Web redirect URIs"],
    ["spa", "SPA redirect URIs"],
    ["publicClient", "Public redirect URIs"],
  ] as const) {
    row(label, app.redirectUris[platform].join(", "));
  }
  row(
    "Pre-authorized",
    app.preAuthorizedClients
      .map((p) => `${clientName(p.appId, { [p.appId]: p.displayName })}: ${p.scopes.join(" ")}`)
      .join("; "),
  );
  row(
    "API permissions",
    app.requiredResourceAccess
      .map((r) => `${r.resource}: ${[...r.delegated, ...r.application].join(" ")}`)
      .join("; "),
  );
  for (const secret of json.credentials.secrets) {
    row(
      "Client secret",
      `${secret.keyId} ${secret.displayName ?? ""} (hint ${secret.hint ?? "?"}…, ${expiryText(secret)})${secret.inEnv ? ` — in .env as ${json.credentials.secretVariable}` : ""}`,
    );
  }
  for (const cert of json.credentials.certificates) {
    row("Certificate", `${cert.keyId} ${cert.displayName ?? ""} (until ${cert.endDateTime.slice(0, 10)})`);
  }
  for (const fic of json.credentials.federated)
    row("Federated cred.", `${fic.name}: ${fic.issuer} ${fic.subject}`);
  for (const grant of json.grants) {
    row(
      grant.consentType === "AllPrincipals" ? "Admin consent" : "User consent",
      `${grant.resource}: ${grant.scope}${grant.principalId ? ` (user ${grant.principalId})` : ""}`,
    );
  }
  for (const a of json.appRoleAssignments.holds) row("Holds app role", `${a.role} of ${a.resource}`);
  for (const a of json.appRoleAssignments.heldBy)
    row("Role held by", `${a.principal} (${a.principalType}): ${a.role}`);

  const { drift } = json;
  if (drift.inSync) {
    ui.print(`${c.green("✔")} In sync with mcp-entra.json: \`mcp-entra register\` would change nothing.`);
    return;
  }
  ui.print(c.yellow("Drift: `mcp-entra register` would make these changes:"));
  drift.patches.forEach((patch, index) => {
    ui.print(`  ${c.cyan(`PATCH ${index + 1}`)} ${patch.path}`);
    for (const change of patch.changes) ui.print(`    - ${change}`);
  });
  for (const line of drift.other) ui.print(`  - ${line}`);
}

import type { Ui } from "../../core/ui.js";
import { FIRST_PARTY_CLIENTS, MICROSOFT_GRAPH_APP_ID } from "../well-known.js";
import type { RegisterResult } from "./run-register.js";

/** What `register --json` prints: ids, URIs and changes; the secret only with --show-secret. */
export function registerJson(result: RegisterResult) {
  const { outcome, options, target, graph } = result;
  const app = outcome.app;
  return {
    ok: true,
    dryRun: options.dryRun,
    tenant: { kind: target.kind, id: target.tenantId, domain: target.domain, authority: target.authority },
    app: {
      preset: options.preset,
      displayName: app.displayName,
      appId: app.appId,
      objectId: app.id,
      servicePrincipalId: outcome.servicePrincipal.id,
      created: outcome.createdApp,
      identifierUris: app.identifierUris,
      scopes: app.api.oauth2PermissionScopes.map((scope) => qualified(app.identifierUris[0], scope.value)),
      roles: app.appRoles.map((role) => role.value),
      preAuthorizedClientIds: app.api.preAuthorizedApplications.map((entry) => entry.appId),
      redirectUris: {
        web: app.web.redirectUris,
        spa: app.spa.redirectUris,
        publicClient: app.publicClient.redirectUris,
      },
      federatedCredentials: outcome.federatedCredentials,
      adminConsent: outcome.consent?.granted ?? [],
      roleAssignments: outcome.roleAssignments,
    },
    secret: outcome.secret?.current && {
      ...outcome.secret.current,
      issued: Boolean(result.issuedSecret),
      ...(options.showSecret && result.issuedSecret ? { value: result.issuedSecret.value } : {}),
    },
    managedIdentity: result.managedIdentity,
    /** Key ids of client secrets mcp-entra had added and removed in this run (replaced or no longer used). */
    secretsRemoved: outcome.secret?.removed ?? [],
    certificate: outcome.certificate && {
      thumbprint: outcome.certificate.thumbprint,
      added: outcome.certificate.added,
    },
    graph: {
      roundTrips: graph.roundTrips,
      writes: graph.writes.map((write) => ({
        method: write.method,
        path: write.path,
        purpose: write.purpose,
        body: redact(write.body),
      })),
    },
    files: result.files,
    warnings: result.warnings,
  };
}

function qualified(appIdUri: string | undefined, value: string): string {
  return appIdUri ? `${appIdUri}/${value}` : value;
}

/** Bodies printed in a plan never carry secret material, even if Graph shapes change. */
function redact(body: unknown): unknown {
  if (Array.isArray(body)) return body.map(redact);
  if (body && typeof body === "object") {
    return Object.fromEntries(
      Object.entries(body as Record<string, unknown>).map(([key, value]) => [
        key,
        /secret|password|key$|assertion/i.test(key) && typeof value === "string"
          ? "<redacted>"
          : redact(value),
      ]),
    );
  }
  return body;
}

/** The human summary of a registration (or of a plan, with --dry-run). */
export function renderRegister(result: RegisterResult, ui: Ui): void {
  const json = registerJson(result);
  if (ui.json) {
    ui.printJson(json);
    return;
  }
  const { app } = json;
  const c = ui.color;
  if (result.options.dryRun) {
    ui.print(c.bold(`Plan for ${app.displayName} in ${result.target.label} (nothing was written):`));
    if (json.graph.writes.length === 0) ui.print("  nothing to change");
    for (const write of json.graph.writes) {
      ui.print(`  ${c.cyan(write.method)} ${write.path}  ${c.dim(`# ${write.purpose}`)}`);
      if (write.body !== undefined) ui.print(c.dim(indent(JSON.stringify(write.body, null, 2), 6)));
    }
    return;
  }
  const row = (label: string, value: string | undefined) =>
    value && ui.print(`  ${label.padEnd(20)} ${value}`);
  ui.print(
    `${c.green("✔")} ${app.created ? "Registered" : "Up to date:"} ${c.bold(app.displayName)} in ${result.target.label}`,
  );
  row("Client (app) id", app.appId);
  row("Application ID URI", app.identifierUris.join(", "));
  row("Scopes", app.scopes.join(", "));
  row("App roles", app.roles.join(", "));
  row("Pre-authorized", app.preAuthorizedClientIds.map(clientName).join(", "));
  row(
    "Redirect URIs",
    [...app.redirectUris.web, ...app.redirectUris.spa, ...app.redirectUris.publicClient].join(", "),
  );
  row("Federated creds", app.federatedCredentials.join(", "));
  row(
    "Admin consent",
    app.adminConsent.map((grant) => `${resourceName(grant.resourceAppId)}: ${grant.scope}`).join("; "),
  );
  row("CI app roles", app.roleAssignments.join(", "));
  if (json.secret) {
    const where = result.options.preset === "ci" ? "MCP_CLIENT_SECRET" : "ENTRA_CLIENT_SECRET";
    row(
      "Client secret",
      `${json.secret.issued ? "new, " : ""}in .env as ${where} (hint ${json.secret.hint ?? "?"}…, expires ${json.secret.endDateTime.slice(0, 10)})`,
    );
    if ("value" in json.secret) row("Secret value", String(json.secret.value));
  }
  if (json.certificate) {
    row(
      "Certificate",
      `${json.certificate.added ? "added" : "registered"} (SHA-1 thumbprint ${Buffer.from(json.certificate.thumbprint, "base64").toString("hex").toUpperCase()})`,
    );
  }
  if (json.managedIdentity) {
    const identity = json.managedIdentity;
    row(
      "Managed identity",
      `${identity.name} (client id ${identity.clientId}, principal id ${identity.principalId}): the server signs in with its token, no secret`,
    );
  }
  if (json.secretsRemoved.length > 0 && !json.secret?.issued) {
    const count = json.secretsRemoved.length;
    ui.print(
      `  ${c.yellow("Removed")} the client secret${count === 1 ? "" : "s"} mcp-entra had added (${json.secretsRemoved.join(", ")}): ${json.managedIdentity ? "the managed identity replaces it" : "no longer used"}; .env no longer holds ENTRA_CLIENT_SECRET.`,
    );
  }
  const writes = json.graph.writes.length;
  row("Graph", `${json.graph.roundTrips} round trips, ${writes} write${writes === 1 ? "" : "s"}`);
  if (result.files.length)
    ui.print(
      c.dim(
        `Wrote ${result.files.join(" and ")} in ${result.dir}${result.files.includes(".env") ? " (.env is 0600 and git-ignored)" : ""}.`,
      ),
    );
  for (const warning of result.warnings) ui.warn(warning);
}

function clientName(appId: string): string {
  const known = FIRST_PARTY_CLIENTS.find((client) => client.appId === appId);
  return known ? `${known.displayName} (${appId})` : appId;
}

function resourceName(appId: string): string {
  return appId === MICROSOFT_GRAPH_APP_ID ? "Microsoft Graph" : appId;
}

function indent(text: string, spaces: number): string {
  return text.replace(/^/gm, " ".repeat(spaces));
}

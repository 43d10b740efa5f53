import { isLoopbackHost } from "../../../test-flow/http.js";
import { sameResource } from "../../../test-flow/resource-url.js";
import { MICROSOFT_GRAPH_APP_ID, VSCODE_CLIENT_ID } from "../../well-known.js";
import type { AppSnapshot, DoctorContext, Findings } from "../model.js";

/** The API registration (remote, proxy): service principal, token version, Application ID URI, VS Code, consent. */
export function checkApiApp(ctx: DoctorContext, snap: AppSnapshot, f: Findings): void {
  const app = snap.app!;
  const key = snap.key;
  const rerun = `mcp-entra register --preset ${snap.record.preset}`;
  if (!snap.servicePrincipal) {
    f.add({
      id: "service-principal",
      app: key,
      status: "error",
      summary:
        "The API has no service principal in the tenant: no token can be issued for it (AADSTS500011).",
      fix: `${rerun} (creates it)`,
    });
  }
  const version = app.api.requestedAccessTokenVersion;
  if (version === 2) f.passed("token-version", key, "v2 access tokens (aud = the API's client id)");
  else {
    f.add({
      id: "token-version",
      app: key,
      status: "error",
      summary: `Access tokens are v${version ?? "1 (null)"}: aud is the Application ID URI and iss https://sts.windows.net/<tenant>/, which the scaffolded servers refuse (they expect v2), and personal accounts need v2.`,
      evidence: { "api.requestedAccessTokenVersion": String(version) },
      fix: `${rerun} --token-version 2`,
    });
  }
  checkAppIdUri(ctx, snap, f, rerun);
  checkPreAuthorization(snap, f, rerun);
  checkAdminConsent(ctx, snap, f, rerun);
}

function checkAppIdUri(ctx: DoctorContext, snap: AppSnapshot, f: Findings, rerun: string): void {
  const uris = snap.app!.identifierUris;
  const prm = ctx.server?.prm;
  const resource = prm?.metadata.resource ?? ctx.server?.url;
  const evidence = { identifierUris: uris, resource: resource ?? null };
  if (uris.length === 0) {
    f.add({
      id: "app-id-uri",
      app: snap.key,
      status: "error",
      summary: "The API has no Application ID URI, so its scopes cannot be requested fully qualified.",
      evidence,
      fix: rerun,
    });
    return;
  }
  if (!resource) {
    f.add({
      id: "app-id-uri",
      app: snap.key,
      status: "skipped",
      summary: "No server URL to compare with: pass --server <url> or set MCP_SERVER_URL in .env.",
      evidence,
    });
    return;
  }
  const what = prm ? "PRM resource" : `the server URL (${ctx.server!.source})`;
  if (uris.some((uri) => sameResource(uri, resource))) {
    f.passed("app-id-uri", snap.key, `The Application ID URI is the ${what}, ${resource}.`, evidence);
    return;
  }
  const url = new URL(resource);
  if (isLoopbackHost(url.hostname)) {
    f.add({
      id: "app-id-uri",
      app: snap.key,
      status: "warning",
      summary: `The ${what} ${resource} is on localhost, which cannot be an Application ID URI (no verified domain): clients that send the resource parameter (RFC 8707, e.g. VS Code) get AADSTS9010010.`,
      evidence,
      fix: `for local tests: mcp-entra test-flow ${resource} --no-resource; once deployed on a verified domain: ${rerun} --server-url <https url>`,
    });
    return;
  }
  f.add({
    id: "app-id-uri",
    app: snap.key,
    status: "error",
    summary: `No Application ID URI is the ${what} ${resource}: Entra compares the resource parameter with it, so spec-conformant clients get AADSTS9010010.`,
    evidence,
    fix:
      url.protocol === "https:"
        ? `${rerun} --server-url ${resource} (the host must be on a verified domain of the tenant)`
        : `serve the MCP endpoint over https, then ${rerun} --server-url <https url>`,
  });
}

function checkPreAuthorization(snap: AppSnapshot, f: Findings, rerun: string): void {
  const app = snap.app!;
  const enabled = app.api.oauth2PermissionScopes.filter((scope) => scope.isEnabled);
  const entries = app.api.preAuthorizedApplications;
  const vscode = entries.find((entry) => entry.appId.toLowerCase() === VSCODE_CLIENT_ID);
  const evidence = {
    preAuthorizedApplications: entries.map((entry) => entry.appId),
    scopes: enabled.map((scope) => scope.value),
  };
  const missing = enabled.filter((scope) => !vscode?.delegatedPermissionIds.includes(scope.id));
  if (vscode && missing.length === 0) {
    f.passed(
      "pre-authorized-clients",
      snap.key,
      "Visual Studio Code is pre-authorized for every scope.",
      evidence,
    );
    return;
  }
  f.add({
    id: "pre-authorized-clients",
    app: snap.key,
    status: "warning",
    summary: vscode
      ? `Visual Studio Code is not pre-authorized for ${missing.map((scope) => scope.value).join(", ")}: VS Code users get AADSTS65002 for it.`
      : "Visual Studio Code is not pre-authorized: Microsoft's own clients cannot be consented to, so VS Code users get AADSTS65002 (65001 for other clients without consent).",
    evidence,
    fix: `${rerun} (pre-authorizes VS Code unless --no-pre-authorize-vscode); other clients: --pre-authorize <client-id>`,
  });
}

function checkAdminConsent(ctx: DoctorContext, snap: AppSnapshot, f: Findings, rerun: string): void {
  const graphIds = snap
    .app!.requiredResourceAccess.filter((entry) => entry.resourceAppId === MICROSOFT_GRAPH_APP_ID)
    .flatMap((entry) => entry.resourceAccess.filter((access) => access.type === "Scope"))
    .map((access) => access.id);
  const wanted = graphIds
    .map((id) => ctx.graph?.valueOf(id, "Scope"))
    .filter((value): value is string => value !== undefined);
  if (wanted.length === 0) return;
  const granted = snap.grants
    .filter(
      (grant) => grant.resourceId === ctx.graph?.servicePrincipal.id && grant.consentType === "AllPrincipals",
    )
    .flatMap((grant) => grant.scope.split(" ").filter(Boolean));
  const missing = wanted.filter((value) => !granted.some((g) => g.toLowerCase() === value.toLowerCase()));
  const evidence = { "Microsoft Graph permissions": wanted, "tenant-wide consent": granted };
  if (missing.length === 0) {
    f.passed(
      "admin-consent",
      snap.key,
      `Tenant-wide consent to Microsoft Graph ${wanted.join(", ")} (on-behalf-of).`,
      evidence,
    );
    return;
  }
  f.add({
    id: "admin-consent",
    app: snap.key,
    status: "error",
    summary: `No tenant-wide consent to Microsoft Graph ${missing.join(", ")}: the server's on-behalf-of calls fail with AADSTS65001 (users cannot consent during on-behalf-of).`,
    evidence,
    fix: `${rerun}, signed in as an administrator (it grants tenant-wide consent unless --no-admin-consent)`,
  });
}

import { sameResource } from "../../../test-flow/resource-url.js";
import type { AppSnapshot, DoctorContext, Findings } from "../model.js";

/**
 * The server's protected resource metadata against the registration: `resource` is the server,
 * `authorization_servers` is exactly the tenant's v2.0 issuer, `scopes_supported` fully qualified
 * scopes the API exposes.
 */
export function checkPrm(ctx: DoctorContext, api: AppSnapshot | undefined, f: Findings): void {
  const server = ctx.server;
  const preset = api?.record.preset ?? "remote";
  if (!server?.prm) {
    f.add({
      id: "prm",
      app: null,
      status: server?.prmProblem ? "warning" : "skipped",
      summary: server?.prmProblem
        ? `Could not read the server's protected resource metadata: ${server.prmProblem}`
        : "The server's metadata was not read: pass --server <url> or set MCP_SERVER_URL in .env.",
      evidence: { server: server?.url ?? null },
      fix: server?.prmProblem
        ? "start the server, or point at it: mcp-entra doctor --server <its url>"
        : undefined,
    });
    return;
  }
  const { metadata, url } = server.prm;
  if (sameResource(metadata.resource, server.url)) {
    f.passed("prm-resource", null, `PRM resource is the server, ${server.url}.`, { prm: url });
  } else {
    f.add({
      id: "prm-resource",
      app: null,
      status: "error",
      summary: `PRM names resource ${metadata.resource}, but the server is ${server.url}: MCP clients refuse it.`,
      evidence: { prm: url, resource: metadata.resource, server: server.url },
      fix: `set MCP_SERVER_URL=${server.url} in .env and restart the server (or check the url clients use: mcp-entra doctor --server <url>)`,
    });
  }
  const issuer = `${ctx.target.authority}/v2.0`;
  const servers = metadata.authorization_servers ?? [];
  if (servers.length === 1 && servers[0] === issuer) {
    f.passed("prm-authorization-servers", null, `authorization_servers is the tenant's v2.0 issuer.`, {
      authorization_servers: servers,
    });
  } else {
    f.add({
      id: "prm-authorization-servers",
      app: null,
      status: "error",
      summary: `authorization_servers must be exactly ["${issuer}"]: strict clients compare it with the issuer of the OpenID configuration, and v1, /common or slash-ended issuers do not match.`,
      evidence: { authorization_servers: servers, expected: issuer },
      fix: `set ENTRA_TENANT_ID=${ctx.target.tenantId} and ENTRA_AUTHORITY_HOST=${ctx.target.authorityHost} in .env (mcp-entra register --preset ${preset} writes them)`,
    });
  }
  checkScopes(metadata.scopes_supported ?? [], api, f, preset);
}

function checkScopes(published: string[], api: AppSnapshot | undefined, f: Findings, preset: string): void {
  const app = api?.app;
  const values = new Set(
    (app?.api.oauth2PermissionScopes ?? []).filter((s) => s.isEnabled).map((s) => s.value.toLowerCase()),
  );
  values.add(".default");
  const prefixes = (app?.identifierUris ?? []).map((uri) => uri.replace(/\/+$/, "").toLowerCase());
  const wrong = published.filter((scope) => {
    const slash = scope.lastIndexOf("/");
    if (slash <= 0 || !scope.includes("://")) return true;
    if (!app) return false;
    return (
      !prefixes.includes(scope.slice(0, slash).toLowerCase()) ||
      !values.has(scope.slice(slash + 1).toLowerCase())
    );
  });
  const evidence = { scopes_supported: published, exposed: [...values].filter((v) => v !== ".default") };
  const fix = `set MCP_SCOPE to a fully qualified scope of the API in .env (mcp-entra register --preset ${preset} writes it), e.g. ${app?.identifierUris[0] ?? "api://<appId>"}/user_impersonation`;
  if (published.length === 0) {
    f.add({
      id: "prm-scopes",
      app: null,
      status: "warning",
      summary:
        "PRM lists no scopes_supported: clients that find no scope in the challenge either send none (AADSTS900144) or guess.",
      evidence,
      fix,
    });
  } else if (wrong.length > 0) {
    f.add({
      id: "prm-scopes",
      app: null,
      status: "error",
      summary: `${wrong.join(", ")}: not a fully qualified scope of this API. Entra resolves bare scopes to Microsoft Graph (AADSTS650053 / 500011).`,
      evidence,
      fix,
    });
  } else f.passed("prm-scopes", null, "scopes_supported are fully qualified scopes of the API.", evidence);
}

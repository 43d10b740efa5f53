import { join, resolve } from "node:path";
import { z } from "zod";
import { readEnvFile } from "../../core/env-file.js";
import { UsageError } from "../../core/errors.js";
import { parseOptions } from "../../core/parse-options.js";
import { PROJECT_CONFIG_FILE, type ProjectConfig, readProjectConfig } from "../../core/project-config.js";
import type {
  Application,
  FederatedIdentityCredential,
  OAuth2PermissionGrant,
  ServicePrincipal,
} from "../../tenant/directory/tenant-state.js";
import { canonicalResourceUrl } from "../../test-flow/resource-url.js";
import { discoverProtectedResource } from "../../test-flow/steps/protected-resource-metadata.js";
import { GraphApi } from "../graph-api.js";
import { createGraphClient } from "../graph-client.js";
import { findGraphPermissions } from "../graph-permissions.js";
import { retryPolicy } from "../graph-retry.js";
import { findManagedIdentity } from "../registration/steps/managed-identity.js";
import type { TenantTarget } from "../tenant-target.js";
import { type FetchLike, trustedFetch } from "../trust.js";
import { checkApiApp } from "./checks/api-app.js";
import { checkSecret } from "./checks/credentials.js";
import { checkEnv } from "./checks/env.js";
import { checkManagedIdentity, checkSecretless } from "./checks/managed-identity.js";
import { checkPrm } from "./checks/prm.js";
import { checkRedirects } from "./checks/redirects.js";
import {
  API_PRESETS,
  type AppSnapshot,
  type DoctorCheck,
  type DoctorContext,
  Findings,
  type ServerSnapshot,
} from "./model.js";

export const doctorOptions = z.object({
  dir: z.string().default("."),
  server: z
    .string()
    .refine((value) => /^https?:\/\//i.test(value) && URL.canParse(value), "must be an http(s) URL")
    .optional(),
});

export interface DoctorDeps {
  /** The tenant the project's registration lives in, from mcp-entra.json (or --tenant). */
  target: (config: ProjectConfig) => Promise<TenantTarget>;
  /** For the server's metadata; default: system CAs plus the tenant's. */
  fetch?: FetchLike;
  now?: () => number;
}

export interface DoctorResult {
  command: "doctor";
  dir: string;
  tenant: { id: string; kind: string; label: string };
  server: { url: string; source: string; prm: string | null } | null;
  checks: DoctorCheck[];
  errors: number;
  warnings: number;
  exitCode: 0 | 1;
}

/**
 * `mcp-entra doctor`: reads mcp-entra.json and .env, the registration from the tenant through Graph,
 * and the server's protected resource metadata; checks them against each other and against the traps
 * of Entra for MCP. Exit code 1 when any check is an error.
 */
export async function runDoctor(raw: Record<string, unknown>, deps: DoctorDeps): Promise<DoctorResult> {
  const options = parseOptions(doctorOptions, raw);
  const dir = resolve(options.dir);
  const config = await readProjectConfig(dir);
  if (Object.keys(config.apps).length === 0) {
    throw new UsageError("NO_REGISTRATION", `${join(dir, PROJECT_CONFIG_FILE)} records no registration.`, {
      suggestion: "run mcp-entra register first, or pass --dir <the project folder>.",
    });
  }
  const env = await readEnvFile(join(dir, ".env"));
  const target = await deps.target(config);
  if (config.tenant && config.tenant.id !== target.tenantId) {
    throw new UsageError(
      "TENANT_MISMATCH",
      `mcp-entra.json records tenant ${config.tenant.id}, but this run targets ${target.label}.`,
      { suggestion: `pass --tenant ${config.tenant.kind === "dev" ? "dev" : config.tenant.id}.` },
    );
  }
  const graph = new GraphApi(
    createGraphClient({ baseUrl: target.graphBaseUrl, caPems: target.caPems }, () => target.graphToken()),
    retryPolicy(),
  );
  const apps = await Promise.all(
    Object.entries(config.apps).map(([key, record]) => snapshot(graph, key, record)),
  );
  const api =
    apps.find((snap) => snap.record.preset === "remote") ??
    apps.find((s) => API_PRESETS.has(s.record.preset));
  const ctx: DoctorContext = {
    dir,
    config,
    env,
    target,
    apps,
    server: await serverSnapshot(options.server, env, api, deps.fetch ?? trustedFetch(target.caPems)),
    graph: await findGraphPermissions(graph),
    now: deps.now?.() ?? Date.now(),
  };
  const findings = new Findings();
  const envOwner = api ?? apps.find((snap) => snap.record.preset === "local");
  for (const snap of apps) {
    if (!snap.app) {
      findings.add({
        id: "app-exists",
        app: snap.key,
        status: "error",
        summary: `The ${snap.key} app (appId ${snap.record.appId ?? "not recorded"}) is not in ${target.label}: sign-ins fail with AADSTS700016.`,
        fix: `mcp-entra register --preset ${snap.record.preset}`,
      });
      continue;
    }
    if (API_PRESETS.has(snap.record.preset)) checkApiApp(ctx, snap, findings);
    checkRedirects(snap, findings);
    checkSecret(ctx, snap, findings);
    if (API_PRESETS.has(snap.record.preset)) {
      checkManagedIdentity(ctx, snap, findings);
      checkSecretless(ctx, snap, findings);
    }
    if (snap === envOwner || snap.record.preset === "ci") checkEnv(ctx, snap, findings);
  }
  if (api) checkPrm(ctx, api, findings);
  const errors = findings.checks.filter((check) => check.status === "error").length;
  return {
    command: "doctor",
    dir,
    tenant: { id: target.tenantId, kind: target.kind, label: target.label },
    server: ctx.server
      ? { url: ctx.server.url, source: ctx.server.source, prm: ctx.server.prm?.url ?? null }
      : null,
    checks: findings.checks,
    errors,
    warnings: findings.checks.filter((check) => check.status === "warning").length,
    exitCode: errors > 0 ? 1 : 0,
  };
}

async function snapshot(
  graph: GraphApi,
  key: string,
  record: ProjectConfig["apps"][string],
): Promise<AppSnapshot> {
  if (!record.appId) return { key, record, grants: [] };
  const [app, servicePrincipal] = await Promise.all([
    graph.get<Application>(`/applications(appId='${record.appId}')`),
    graph.get<ServicePrincipal>(`/servicePrincipals(appId='${record.appId}')`),
  ]);
  const grants = servicePrincipal
    ? await graph.list<OAuth2PermissionGrant>(
        `/oauth2PermissionGrants?$filter=clientId eq '${servicePrincipal.id}'`,
      )
    : [];
  if (!record.managedIdentity || !app) return { key, record, app, servicePrincipal, grants };
  const [federatedCredentials, managedIdentity] = await Promise.all([
    graph.list<FederatedIdentityCredential>(`/applications/${app.id}/federatedIdentityCredentials`),
    findManagedIdentity(graph, record.managedIdentity.clientId).catch(() => undefined),
  ]);
  return { key, record, app, servicePrincipal, grants, federatedCredentials, managedIdentity };
}

/** The server URL (--server, else MCP_SERVER_URL, else the one registered) and its metadata when asked for. */
async function serverSnapshot(
  flag: string | undefined,
  env: Record<string, string>,
  api: AppSnapshot | undefined,
  fetchImpl: FetchLike,
): Promise<ServerSnapshot | undefined> {
  const [url, source] = flag
    ? [flag, "--server" as const]
    : env.MCP_SERVER_URL
      ? [env.MCP_SERVER_URL, "MCP_SERVER_URL in .env" as const]
      : [api?.record.serverUrl, "mcp-entra.json" as const];
  if (!url || !URL.canParse(url)) return undefined;
  const server: ServerSnapshot = { url: canonicalResourceUrl(url), source };
  if (source === "mcp-entra.json") return server;
  const timed: FetchLike = (input, init) =>
    fetchImpl(input, { ...init, signal: AbortSignal.timeout(10_000) });
  try {
    const found = await discoverProtectedResource(server.url, undefined, timed);
    server.prm = { url: found.url, metadata: found.metadata };
  } catch (error) {
    server.prmProblem = (error as Error).message;
  }
  return server;
}

import { X509Certificate } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { decodeJwt } from "jose/jwt/decode";
import { ensureGitIgnored, readEnvFile, updateEnvFile } from "../../core/env-file.js";
import { invalidFlag, UsageError } from "../../core/errors.js";
import { parseOptions } from "../../core/parse-options.js";
import { type ProjectConfig, readProjectConfig, writeProjectConfig } from "../../core/project-config.js";
import type { Ui } from "../../core/ui.js";
import type { GraphApi } from "../graph-api.js";
import { graphPermissionsFor } from "../graph-permissions.js";
import type { retryPolicy } from "../graph-retry.js";
import type { TenantTarget } from "../tenant-target.js";
import { MICROSOFT_GRAPH_APP_ID } from "../well-known.js";
import { type ApplyOutcome, applyRegistration } from "./apply-registration.js";
import { checkCombinations, desiredRegistration } from "./desired.js";
import { managedIdentityIssuer } from "./managed-identity-credential.js";
import { type ManagedIdentityRef, PRESETS } from "./model.js";
import { type RegisterOptions, registerOptionsSchema } from "./options.js";
import { envValues, managedIdentityHostEnv, projectAppRecord, secretVariable } from "./project-outputs.js";
import { recordedFlags } from "./recorded-flags.js";
import { registrationGraph } from "./registration-graph.js";
import type { IssuedSecret } from "./steps/client-secret.js";
import { requireManagedIdentity } from "./steps/managed-identity.js";
import { checkIdentifierUriDomain } from "./verified-domain.js";

export interface RegisterDeps {
  ui: Ui;
  /** The tenant to register in (the dev tenant unless one was chosen); resolved once. */
  target: () => Promise<TenantTarget>;
  /** Overrides for the retry policy (tests). */
  retry?: Parameters<typeof retryPolicy>[0];
}

export interface RegisterResult {
  options: RegisterOptions;
  target: TenantTarget;
  dir: string;
  outcome: ApplyOutcome;
  graph: GraphApi;
  issuedSecret?: IssuedSecret;
  files: string[];
  warnings: string[];
  /** The managed identity the server signs in with (--credential managed-identity). */
  managedIdentity?: ManagedIdentityRef;
}

/** `mcp-entra register`: makes the tenant hold the registration a preset asks for, idempotently. */
export async function runRegister(raw: Record<string, unknown>, deps: RegisterDeps): Promise<RegisterResult> {
  const { ui } = deps;
  // Every flag, and the files and folder they name, is checked before anything is asked or touched.
  const early = parseOptions(registerOptionsSchema.partial({ preset: true }), raw);
  const certificate = early.certificate ? await readCertificatePem(early.certificate) : undefined;
  const dir = await projectDir(early.dir);
  const preset =
    raw.preset ??
    (await ui.ask({
      kind: "select",
      message: "Which registration?",
      flag: "--preset <local|remote|proxy|ci>",
      choices: PRESETS.map((value) => ({ name: value, value })),
    }));
  const options = parseOptions(registerOptionsSchema, { ...raw, preset });
  checkCombinations(options);
  const config = await readProjectConfig(dir);
  const known = config.apps[options.preset];
  const ciApiAppId = options.preset === "ci" ? apiAppId(options, config) : undefined;
  const target = await deps.target();
  if (config.tenant && config.tenant.id !== target.tenantId) {
    throw new UsageError(
      "TENANT_MISMATCH",
      `mcp-entra.json records tenant ${config.tenant.id}, but this run targets ${target.label}.`,
      {
        suggestion: `pass --tenant ${config.tenant.id}, or move mcp-entra.json aside to register in the new tenant.`,
      },
    );
  }
  const graph = registrationGraph(target, { ui, retry: deps.retry, dryRun: options.dryRun });
  // Graph permission names resolve against the tenant's Microsoft Graph service principal, before any write.
  const graphPermissions = await graphPermissionsFor(graph, options);
  const managedIdentity = options.managedIdentity
    ? {
        identity: await requireManagedIdentity(graph, options.managedIdentity, target.label),
        issuer: managedIdentityIssuer(target.authorityHost, target.tenantId),
      }
    : undefined;
  const desired = desiredRegistration(options, {
    projectName: await projectName(dir),
    uniqueName: known?.uniqueName,
    apiAppId: ciApiAppId,
    certificate,
    graph: graphPermissions,
    managedIdentity,
  });

  await checkIdentifierUriDomain(
    graph,
    desired.identifierUri,
    options.appIdUri ? "--app-id-uri" : "--server-url",
  );

  const envPath = join(dir, ".env");
  const env = await readEnvFile(envPath);
  const files = new Set<string>();
  const saveConfig = async (next: ProjectConfig) => {
    if (await writeProjectConfig(dir, next)) files.add("mcp-entra.json");
  };
  const tenantRecord = {
    id: target.tenantId,
    domain: target.domain,
    authority: target.authority,
    kind: target.kind,
  };
  if (!options.dryRun) {
    // Recorded before the first write: an interrupted run finds its app again by this uniqueName.
    config.tenant = tenantRecord;
    config.apps[desired.key] = {
      ...known,
      preset: desired.preset,
      displayName: desired.displayName,
      uniqueName: desired.uniqueName,
      scopes: known?.scopes ?? [],
      roles: known?.roles ?? [],
      federatedCredentials: known?.federatedCredentials ?? [],
    };
    await saveConfig(config);
  }
  let issuedSecret: IssuedSecret | undefined;
  const spinner = await ui.spinner(`Registering in ${target.label}`);
  let outcome: ApplyOutcome;
  try {
    outcome = await applyRegistration(graph, {
      desired,
      known,
      callerObjectId: await callerObjectId(target),
      secretInEnv: Boolean(env[secretVariable(desired)]),
      persistSecret: async (secret) => {
        issuedSecret = secret;
        await updateEnvFile(envPath, { [secretVariable(desired)]: secret.value });
        await ensureGitIgnored(dir);
        files.add(".env");
        const app = config.apps[desired.key]!;
        app.secret = { keyId: secret.keyId, hint: secret.hint, endDateTime: secret.endDateTime };
        await saveConfig(config);
      },
      checkpoint: async (ids) => {
        Object.assign(config.apps[desired.key]!, ids);
        await saveConfig(config);
      },
      progress: (step) => spinner.update(`${step} — ${target.label}`),
      resources: graphPermissions ? [graphPermissions.servicePrincipal] : [],
      hadApplicationPermissions: known?.flags?.graphAppPermission ? [MICROSOFT_GRAPH_APP_ID] : [],
    });
  } catch (error) {
    spinner.fail(`Registration in ${target.label} stopped; running the same command again resumes it.`);
    throw error;
  }
  spinner.stop();

  if (!options.dryRun) {
    const record = { ...projectAppRecord(desired, outcome, known), flags: recordedFlags(options) };
    config.apps[desired.key] = record;
    config.tenant = tenantRecord;
    await saveConfig(config);
    const hostEnv = await managedIdentityHostEnv(desired, target);
    if (await updateEnvFile(envPath, { ...envValues(desired, record, target), ...hostEnv }))
      files.add(".env");
    await ensureGitIgnored(dir);
  }
  return {
    options,
    target,
    dir,
    outcome,
    graph,
    issuedSecret,
    files: [...files],
    warnings: outcome.consent?.warnings ?? [],
    managedIdentity: managedIdentity?.identity,
  };
}

function apiAppId(options: RegisterOptions, config: ProjectConfig): string {
  const id = options.api ?? config.apps.remote?.appId ?? config.apps.proxy?.appId;
  if (!id) {
    throw invalidFlag(
      "--api",
      "the ci preset needs the API whose roles CI tokens carry, and mcp-entra.json has none",
      "register the API first (mcp-entra register --preset remote), or pass --api <appId>",
    );
  }
  return id;
}

async function projectName(dir: string): Promise<string> {
  const manifest = await readFile(join(dir, "package.json"), "utf8").catch(() => "");
  try {
    const name = (JSON.parse(manifest) as { name?: string }).name;
    if (name) return name.replace(/^@[^/]+\//, "");
  } catch {
    // No usable package.json: the folder's name will do.
  }
  return basename(dir);
}

/** --dir: an existing folder (register writes mcp-entra.json and .env into it, never creates it). */
async function projectDir(path: string): Promise<string> {
  const dir = resolve(path);
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw invalidFlag("--dir", `${path} is not a folder`, "pass the project's folder (it must exist)");
  }
  return dir;
}

/** The certificate (public part) of a PEM file, and whether the file also holds its private key. */
async function readCertificatePem(path: string) {
  const pem = await readFile(path, "utf8").catch(() => "");
  const certificate = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/)?.[0];
  let valid = false;
  try {
    valid = Boolean(certificate && new X509Certificate(certificate));
  } catch {
    valid = false;
  }
  if (!certificate || !valid)
    throw invalidFlag("--certificate", `${path} holds no PEM certificate`, "pass a PEM certificate file");
  return {
    pem: certificate,
    path: resolve(path),
    hasPrivateKey: /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----/.test(pem),
  };
}

/** The signed-in user or app (its `oid`), made an owner of what it creates. */
async function callerObjectId(target: TenantTarget): Promise<string | undefined> {
  const claims = decodeJwt(await target.graphToken());
  return typeof claims.oid === "string" ? claims.oid : undefined;
}

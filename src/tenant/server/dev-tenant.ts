import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { OperationError } from "../../core/errors.js";
import { ensurePrivateDir, removeStaleTempFiles, writeFileAtomic } from "../../core/fs.js";
import { devTenantHome, mcpEntraHome } from "../../core/paths.js";
import { type GitHubActionsTokenInput, githubActionsToken } from "../clients/github-actions-token.js";
import { managedIdentityHostEnvironment } from "../clients/managed-identity-token.js";
import { DEFAULT_TENANT_OPTIONS, type TenantContext, type TenantOptions } from "../context.js";
import {
  addManagedIdentity,
  type ManagedIdentitySummary,
  summarizeIdentity,
} from "../directory/managed-identities.js";
import { seedTenantState } from "../directory/seed.js";
import { TenantStore } from "../directory/state-file.js";
import { tokenEndpointHandler } from "../endpoints/token.js";
import { createGraphAdminApp, type GraphAdminApp } from "../graph/admin-app.js";
import { refreshGraphCatalogue } from "../microsoft-graph/graph-service-principal.js";
import { ShortLivedRecords } from "../sign-in/short-lived-records.js";
import { type MintTokenInput, mintToken } from "../tokens/mint.js";
import { SigningKeys } from "../tokens/signing-keys.js";
import type { TokenResponse } from "../tokens/token-response.js";
import { createTenantApp } from "./app.js";
import { ensureCertificates, issueSigningCertificate } from "./certificates.js";
import { Clock } from "./clock.js";
import { corsHook } from "./cors.js";
import { type FaultConfig, FaultInjector, faultConfig } from "./faults.js";
import { DEFAULT_TENANT_PORT, portInUseError } from "./port.js";
import { RequestLog, type RequestLogEntry, type RequestLogFilter } from "./request-log.js";
import {
  adminTokenFile,
  claimRuntime,
  releaseRuntime,
  type TenantRuntime,
  updateRuntime,
} from "./runtime.js";
import { type TenantUrls, tenantUrls } from "./urls.js";

export { DEFAULT_TENANT_PORT } from "./port.js";

export interface StartDevTenantOptions {
  /** The mcp-entra home folder; the tenant keeps its files in `<home>/dev-tenant`. */
  home?: string;
  /** 0 picks a free port (tests); the default is fixed because msal keys its cache by host:port. */
  port?: number;
  options?: Partial<TenantOptions>;
  /** Graph fault injection: a config or a spec string such as `429:0.2,replication:3000,seed:42`. */
  faults?: Partial<FaultConfig> | string;
  /** Recorded in the runtime file when the tenant's output goes to a log (`tenant start --detach`). */
  logFile?: string;
  /**
   * A folder holding the CA to sign the tenant's TLS certificate with (see ensureDevTenantCa),
   * instead of the tenant's own: tests that start many tenants trust one CA, set in
   * NODE_EXTRA_CA_CERTS before their processes start.
   */
  caDir?: string;
  /**
   * Runs on the tenant's state once it is open and before the tenant listens, so that what a run
   * sets (`tenant start --auto-approve`) holds from the first request on.
   */
  prepare?: (store: TenantStore) => Promise<void>;
}

/** A running dev tenant: its URLs, its state, and the handles tests use. */
export class DevTenant {
  readonly urls: TenantUrls;

  constructor(
    readonly ctx: TenantContext,
    readonly dir: string,
    readonly caFile: string,
    readonly adminToken: string,
    private readonly server: Server,
  ) {
    this.urls = tenantUrls(ctx.origin, ctx.store.state.tenant.id);
  }

  get url(): string {
    return this.ctx.origin;
  }
  get port(): number {
    return Number(new URL(this.ctx.origin).port);
  }
  get tenantId(): string {
    return this.ctx.store.state.tenant.id;
  }
  get domain(): string {
    return this.ctx.store.state.tenant.domain;
  }
  get caPem(): string {
    return this.ctx.caPem;
  }
  get store(): TenantStore {
    return this.ctx.store;
  }
  get clock(): Clock {
    return this.ctx.clock;
  }

  /** The requests the tenant answered (bounded, oldest first); never bodies, secrets or tokens. */
  requestLog(filter?: RequestLogFilter): RequestLogEntry[] {
    return this.ctx.requestLog.entries(filter);
  }

  clearRequestLog(): void {
    this.ctx.requestLog.clear();
  }

  /** Replaces the Graph fault configuration (a config or a spec string); `undefined` switches faults off. */
  setFaults(faults?: Partial<FaultConfig> | string): FaultConfig {
    this.ctx.faults.configure(faultConfig(faults));
    return this.ctx.faults.config;
  }

  /** Registers a client holding Graph application permissions (admin consented), with a secret. */
  createGraphAdminApp(options?: { displayName?: string; roles?: string[] }): Promise<GraphAdminApp> {
    return createGraphAdminApp(this.ctx, options);
  }

  /** Mints a token without HTTP or consent (see mintToken). */
  issueToken(input: MintTokenInput): Promise<TokenResponse> {
    return mintToken(this.ctx, input);
  }

  /** A GitHub Actions OIDC token for a federated credential, signed by this tenant (GitHub's stand-in). */
  githubActionsToken(input: GitHubActionsTokenInput): Promise<string> {
    return githubActionsToken(this.ctx, input);
  }

  /** Adds a user-assigned managed identity (its client id and principal id are new GUIDs). */
  async addManagedIdentity(name: string): Promise<ManagedIdentitySummary> {
    const now = this.ctx.clock.iso();
    const identity = await this.ctx.store.commit((state) => addManagedIdentity(state, name, now));
    if (!identity) throw new Error(`A managed identity named ${name} already exists`);
    return summarizeIdentity(identity);
  }

  /** IDENTITY_ENDPOINT and IDENTITY_HEADER, as an Azure host sets them for a process it runs. */
  managedIdentityHost(): Record<string, string> {
    return managedIdentityHostEnvironment(this.ctx.origin, this.adminToken);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    await this.ctx.store.persist();
    await releaseRuntime(this.dir, process.pid);
  }
}

/**
 * Starts a dev tenant on its home folder. The folder is claimed first (runtime.json), so a second
 * tenant on the same folder fails instead of becoming a second writer of its state.
 */
export async function startDevTenant(options: StartDevTenantOptions = {}): Promise<DevTenant> {
  const faults = faultConfig(options.faults);
  const dir = devTenantHome(options.home ?? mcpEntraHome());
  await ensurePrivateDir(dir);
  const holder = await claimRuntime(dir, options.logFile ?? null);
  if (holder) throw alreadyRunning(dir, holder);
  try {
    await removeStaleTempFiles(dir);
    // A first start's slow work (key pairs, password hashes) runs side by side on the thread pool.
    const [certificates, store, adminToken] = await Promise.all([
      ensureCertificates(dir, options.caDir),
      TenantStore.open(join(dir, "state.json"), () => seedTenantState()),
      ensureAdminToken(dir),
    ]);
    if (refreshGraphCatalogue(store.state)) await store.persist();
    await options.prepare?.(store);
    const clock = new Clock();
    const ctx: TenantContext = {
      origin: "",
      caPem: certificates.caPem,
      store,
      keys: new SigningKeys(
        () => store.state.signingKeys,
        (spki, validFrom) => issueSigningCertificate(certificates, spki, validFrom),
        () => store.persist(),
      ),
      clock,
      random: Math.random,
      options: { ...DEFAULT_TENANT_OPTIONS, ...options.options },
      faults: new FaultInjector(clock, faults),
      requestLog: new RequestLog(),
      memory: new ShortLivedRecords(),
    };
    const app = createTenantApp(ctx, adminToken);
    const cors = corsHook();
    const token = tokenEndpointHandler(ctx);
    const server = createServer({ cert: certificates.certPem, key: certificates.keyPem }, (req, res) => {
      if (!cors(req, res) && !token(req, res)) app(req, res);
    });
    // Clients drop idle connections after a few seconds (Node's agent after 5 s, undici 2 s before the
    // server's hint). With Node's default of 5 s the server could drop one as a client reused it:
    // ECONNRESET under load. Holding them longer lets the client always close first.
    server.keepAliveTimeout = 65_000;
    const port = await listen(server, options.port ?? DEFAULT_TENANT_PORT);
    ctx.origin = `https://localhost:${port}`;
    const tenant = new DevTenant(ctx, dir, certificates.caFile, adminToken, server);
    await updateRuntime(dir, {
      phase: "running",
      port,
      url: tenant.url,
      tenantId: tenant.tenantId,
      domain: tenant.domain,
    }).catch(async (error: unknown) => {
      await tenant.stop();
      throw error;
    });
    return tenant;
  } catch (error) {
    await releaseRuntime(dir, process.pid);
    throw error;
  }
}

function alreadyRunning(dir: string, holder: TenantRuntime): OperationError {
  return new OperationError(
    "TENANT_ALREADY_RUNNING",
    `A dev tenant (pid ${holder.pid}${holder.url ? `, ${holder.url}` : ""}) already serves ${dir}.`,
    { suggestion: "Use it, or stop it first with `mcp-entra tenant stop`." },
  );
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(error.code === "EADDRINUSE" ? portInUseError(port) : error);
    });
    server.listen(port, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });
}

/** The secret that guards the admin API; only the tenant's owner can read it (0600). */
async function ensureAdminToken(dir: string): Promise<string> {
  const file = adminTokenFile(dir);
  const existing = await readFile(file, "utf8").catch(() => "");
  if (existing.trim()) return existing.trim();
  const token = randomBytes(32).toString("base64url");
  await writeFileAtomic(file, token);
  return token;
}

import type { OAuthProtectedResourceMetadata } from "@modelcontextprotocol/client";
import type { ProjectApp, ProjectConfig } from "../../core/project-config.js";
import type {
  Application,
  FederatedIdentityCredential,
  OAuth2PermissionGrant,
  ServicePrincipal,
} from "../../tenant/directory/tenant-state.js";
import type { GraphPermissions } from "../graph-permissions.js";
import type { ManagedIdentityRef } from "../registration/model.js";
import type { TenantTarget } from "../tenant-target.js";

/**
 * `mcp-entra doctor`: what it looked at (the project, the tenant through Graph, the server's metadata)
 * and what it found. Each check names the app it concerns, its evidence and the fix.
 */
export type CheckStatus = "passed" | "warning" | "error" | "skipped";

export type CheckEvidence = Record<string, string | string[] | null>;

export interface DoctorCheck {
  id: string;
  /** The mcp-entra.json key of the app (remote, proxy, local, ci), or null for the project. */
  app: string | null;
  status: CheckStatus;
  summary: string;
  evidence: CheckEvidence;
  /** The command (a register flag, a .env change) that fixes it. */
  fix?: string;
}

/** One registration of mcp-entra.json with what the tenant holds for it. */
export interface AppSnapshot {
  key: string;
  record: ProjectApp;
  app?: Application;
  servicePrincipal?: ServicePrincipal;
  /** The app's delegated permission grants (to Microsoft Graph and others). */
  grants: OAuth2PermissionGrant[];
  /** With a recorded managed identity: the app's federated credentials and the identity (if found). */
  federatedCredentials?: FederatedIdentityCredential[];
  managedIdentity?: ManagedIdentityRef;
}

export interface ServerSnapshot {
  /** The canonical server URL doctor checks against. */
  url: string;
  source: "--server" | "MCP_SERVER_URL in .env" | "mcp-entra.json";
  /** The protected resource metadata, when it could be fetched. */
  prm?: { url: string; metadata: OAuthProtectedResourceMetadata };
  /** Why it could not be fetched (or was not: no --server and no MCP_SERVER_URL). */
  prmProblem?: string;
}

export interface DoctorContext {
  dir: string;
  config: ProjectConfig;
  env: Record<string, string>;
  target: TenantTarget;
  apps: AppSnapshot[];
  server?: ServerSnapshot;
  /** Microsoft Graph's service principal in the tenant (consent grants point at it) and its permissions. */
  graph?: GraphPermissions;
  /** Time for expiry checks. */
  now: number;
}

/** A small builder the checks use: one call per finding. */
export class Findings {
  readonly checks: DoctorCheck[] = [];

  add(check: Omit<DoctorCheck, "evidence"> & { evidence?: CheckEvidence }): void {
    this.checks.push({ evidence: {}, ...check });
  }

  passed(id: string, app: string | null, summary: string, evidence: CheckEvidence = {}): void {
    this.add({ id, app, status: "passed", summary, evidence });
  }
}

export const API_PRESETS = new Set(["remote", "proxy"]);

import { randomBytes } from "node:crypto";
import { invalidFlag } from "../../core/errors.js";
import { type GraphPermissions, wantedGraphPermissions } from "../graph-permissions.js";
import { GITHUB_ACTIONS_ISSUER, MICROSOFT_GRAPH_APP_ID, VSCODE_CLIENT_ID } from "../well-known.js";
import { managedIdentityCredential } from "./managed-identity-credential.js";
import {
  APP_ID_URI_PLACEHOLDER,
  type DesiredCredential,
  type DesiredFederatedCredential,
  type DesiredRegistration,
  type DesiredRole,
  type DesiredScope,
  type ManagedIdentityRef,
} from "./model.js";
import { isLoopbackHost, type RegisterOptions } from "./options.js";

/** Defaults that the scaffolds rely on: keep them in step with templates/*. */
export const DEFAULT_SCOPE = "user_impersonation";
export const DEFAULT_ROLES = ["Tools.Read", "Tools.Admin"];
export const DEFAULT_SERVER_URL = "http://localhost:3000/mcp";
export const PROXY_CALLBACK_PATH = "/oauth/callback";
export const LOOPBACK_REDIRECT = "http://localhost";

export interface DesiredContext {
  projectName: string;
  /** The uniqueName already recorded for this registration, if any. */
  uniqueName?: string;
  /** For the ci preset: the API whose roles CI tokens carry. */
  apiAppId?: string;
  certificate?: { pem: string; path: string; hasPrivateKey: boolean };
  /** Microsoft Graph's permissions as the tenant publishes them (needed when any is asked for). */
  graph?: GraphPermissions;
  /** The identity --managed-identity names, read from the tenant, and the tenant's v2 issuer. */
  managedIdentity?: { identity: ManagedIdentityRef; issuer: string };
}

/** Computes the registration a preset and its flags ask for. Throws a UsageError naming the flag. */
export function desiredRegistration(options: RegisterOptions, context: DesiredContext): DesiredRegistration {
  checkCombinations(options);
  const { preset } = options;
  const isApi = preset === "remote" || preset === "proxy";
  const displayName = options.name ?? `${context.projectName} (MCP ${preset})`;
  const serverUrl = isApi ? canonical(options.serverUrl ?? DEFAULT_SERVER_URL) : null;
  const redirectUris = {
    web: [...(options.webRedirectUri ?? [])],
    spa: [...(options.spaRedirectUri ?? [])],
    publicClient: [...(options.publicRedirectUri ?? [])],
  };
  const generic = options.redirectUri ?? [];
  if (preset === "local") redirectUris.publicClient.push(...(generic.length ? generic : [LOOPBACK_REDIRECT]));
  else redirectUris.web.push(...generic);
  if (preset === "proxy" && serverUrl) redirectUris.web.push(new URL(PROXY_CALLBACK_PATH, serverUrl).href);

  const wanted = wantedGraphPermissions(options);
  const asksGraph = wanted.delegated.length > 0 || wanted.application.length > 0;
  if (asksGraph && !context.graph)
    throw new Error("Microsoft Graph's permissions were not read from the tenant");
  return {
    key: preset,
    preset,
    uniqueName:
      context.uniqueName ?? `${slug(context.projectName)}-${preset}-${randomBytes(3).toString("hex")}`,
    displayName,
    signInAudience: options.signInAudience,
    identifierUri: isApi ? applicationIdUri(options, serverUrl!) : null,
    requestedAccessTokenVersion: isApi ? options.tokenVersion : null,
    scopes: isApi ? (options.scope ?? [DEFAULT_SCOPE]).map((value) => scope(value, displayName)) : [],
    roles: isApi ? (options.role ?? DEFAULT_ROLES).map((value) => role(value)) : [],
    redirectUris: {
      web: unique(redirectUris.web),
      spa: unique(redirectUris.spa),
      publicClient: unique(redirectUris.publicClient),
    },
    isFallbackPublicClient: preset === "local" ? true : null,
    requiredResourceAccess: asksGraph
      ? [
          {
            resourceAppId: MICROSOFT_GRAPH_APP_ID,
            scopes: context.graph!.resolve("delegated", wanted.delegated),
            roles: context.graph!.resolve("application", wanted.application),
          },
        ]
      : [],
    preAuthorizedClientIds: isApi
      ? unique([...(options.preAuthorizeVscode ? [VSCODE_CLIENT_ID] : []), ...(options.preAuthorize ?? [])])
      : [],
    serviceManagementReference: options.serviceManagementReference ?? null,
    owners: options.owner ?? [],
    credential: credential(options, context),
    federatedCredentials: [
      ...federatedCredentials(options),
      ...(context.managedIdentity ? [managedIdentityCredential(context.managedIdentity)] : []),
    ],
    adminConsent: (asksGraph || preset === "proxy") && options.adminConsent,
    consentToOwnScopes: preset === "proxy",
    roleAssignments:
      preset === "ci"
        ? [{ resourceAppId: context.apiAppId!, roleValues: options.ciRole ?? ["Tools.Read"] }]
        : [],
    serverUrl,
  };
}

/** Flags that do not go together, or a preset they do not apply to: checked before any tenant is touched. */
export function checkCombinations(options: RegisterOptions): void {
  const isApi = options.preset === "remote" || options.preset === "proxy";
  for (const flag of ["scope", "role", "serverUrl", "appIdUri"] as const) {
    if (!isApi && options[flag] !== undefined) {
      throw invalidFlag(
        `--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
        `applies to the remote and proxy presets, not ${options.preset}`,
        "drop the flag, or choose --preset remote",
      );
    }
  }
  if (options.githubRef && options.githubEnvironment) {
    throw invalidFlag("--github-ref", "cannot be combined with --github-environment", "pass one of the two");
  }
  if ((options.githubRef || options.githubEnvironment) && !options.githubRepo) {
    throw invalidFlag(
      "--github-repo",
      "is required with --github-ref or --github-environment",
      "pass --github-repo OWNER/REPO",
    );
  }
  if (options.credential === "certificate" && !options.certificate) {
    throw invalidFlag(
      "--certificate",
      "is required with --credential certificate",
      "pass --certificate <cert.pem>",
    );
  }
  const federatedPair = Boolean(options.federatedIssuer) === Boolean(options.federatedSubject);
  if (!federatedPair) {
    throw invalidFlag(
      options.federatedIssuer ? "--federated-subject" : "--federated-issuer",
      "--federated-issuer and --federated-subject go together",
      "pass both, or neither",
    );
  }
  checkManagedIdentityFlags(options);
  if (options.credential === "federated" && !options.federatedIssuer && !options.githubRepo) {
    throw invalidFlag(
      "--federated-issuer",
      "is required with --credential federated",
      "pass --federated-issuer and --federated-subject, or --github-repo for GitHub Actions",
    );
  }
}

function checkManagedIdentityFlags(options: RegisterOptions): void {
  const wantsIdentity = options.credential === "managed-identity" || Boolean(options.managedIdentity);
  if (!wantsIdentity) return;
  if (options.preset !== "remote" && options.preset !== "proxy") {
    throw invalidFlag(
      options.managedIdentity ? "--managed-identity" : "--credential",
      `a managed identity signs in a server: it applies to the remote and proxy presets, not ${options.preset}`,
      "choose --preset remote or --preset proxy",
    );
  }
  if (!options.managedIdentity) {
    throw invalidFlag(
      "--managed-identity",
      "is required with --credential managed-identity",
      "pass the user-assigned identity's client id or principal id (az identity show --query clientId)",
    );
  }
  if (options.credential && options.credential !== "managed-identity") {
    throw invalidFlag(
      "--managed-identity",
      `cannot be combined with --credential ${options.credential}`,
      "drop --credential, or pass --credential managed-identity",
    );
  }
}

/**
 * The Application ID URI: an explicit --app-id-uri, the https server URL, or api://{appId} — also
 * for https on localhost, which is never a verified domain (Graph would refuse it).
 */
function applicationIdUri(options: RegisterOptions, serverUrl: string): string {
  if (options.appIdUri) return options.appIdUri;
  const url = new URL(serverUrl);
  return url.protocol === "https:" && !isLoopbackHost(url.hostname) ? serverUrl : APP_ID_URI_PLACEHOLDER;
}

function credential(options: RegisterOptions, context: DesiredContext): DesiredCredential {
  const usesFederation = Boolean(options.githubRepo || options.federatedIssuer);
  const kind =
    options.credential ??
    (options.preset === "local"
      ? "none"
      : options.managedIdentity
        ? "managed-identity"
        : usesFederation
          ? "federated"
          : "secret");
  if (kind === "managed-identity") {
    if (!context.managedIdentity) throw new Error("The managed identity was not read from the tenant");
    return { kind, ...context.managedIdentity };
  }
  if (kind === "secret") return { kind, lifetimeDays: options.secretLifetime, rotate: options.newSecret };
  if (kind === "certificate") {
    return {
      kind,
      certificatePem: context.certificate?.pem ?? "",
      displayName: `mcp-entra ${options.preset}`,
      path: context.certificate?.path ?? "",
      hasPrivateKey: context.certificate?.hasPrivateKey ?? false,
    };
  }
  return { kind: "none" };
}

function federatedCredentials(options: RegisterOptions): DesiredFederatedCredential[] {
  const audiences = [options.federatedAudience];
  const result: DesiredFederatedCredential[] = [];
  if (options.githubRepo) {
    const target = options.githubEnvironment
      ? `environment:${options.githubEnvironment}`
      : `ref:${options.githubRef ?? "refs/heads/main"}`;
    result.push({
      name: slug(`github-${options.githubRepo}-${target.replace(/^ref:refs\/(heads|tags)\//, "")}`).slice(
        0,
        120,
      ),
      issuer: GITHUB_ACTIONS_ISSUER,
      subject: `repo:${options.githubRepo}:${target}`,
      audiences,
      description: `GitHub Actions in ${options.githubRepo} (${target})`,
    });
  }
  if (options.federatedIssuer && options.federatedSubject) {
    result.push({
      name: slug(`federated-${new URL(options.federatedIssuer).hostname}-${options.federatedSubject}`).slice(
        0,
        120,
      ),
      issuer: options.federatedIssuer,
      subject: options.federatedSubject,
      audiences,
      description: "Added by mcp-entra register",
    });
  }
  return result;
}

function scope(value: string, appName: string): DesiredScope {
  return {
    value,
    type: "User",
    adminConsentDisplayName: `Access ${appName}`,
    adminConsentDescription: `Allows the app to use ${appName}'s MCP tools on behalf of the signed-in user.`,
    userConsentDisplayName: `Access ${appName}`,
    userConsentDescription: `Allows the app to use ${appName}'s MCP tools on your behalf.`,
  };
}

function role(value: string): DesiredRole {
  return {
    value,
    displayName: value,
    description: `Holders of ${value} may call the MCP tools that require it.`,
    allowedMemberTypes: ["User", "Application"],
  };
}

/** The canonical form of a server URL: as the URL parser writes it, without a trailing slash. */
export function canonical(url: string): string {
  return new URL(url).href.replace(/\/$/, "");
}

export function slug(value: string): string {
  return (
    value
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "") || "mcp-server"
  );
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

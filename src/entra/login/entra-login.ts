import type { AuthenticationResult } from "@azure/msal-node";
import { decodeJwt } from "jose/jwt/decode";
import { invalidFlag, McpEntraError } from "../../core/errors.js";
import type { Ui } from "../../core/ui.js";
import { entraAuthorityHost, GRAPH_DEFAULT_SCOPE, REGISTER_GRAPH_SCOPES } from "../tenant-target.js";
import { GRAPH_CLI_CLIENT_ID, isGuid } from "../well-known.js";
import { type AzureCliToken, azureCliGraphToken } from "./azure-cli.js";
import { appCredential, CLIENT_SECRET_ENV } from "./entra-target.js";
import { confidentialClientApp, publicClientApp } from "./msal-apps.js";
import { type LoginClient, signInFailure } from "./sign-in-failure.js";
import { findBootstrapApp, type LoginMethod, type LoginSession, writeLoginSession } from "./user-settings.js";
import { signInUser, type UserSignInMethod } from "./user-sign-in.js";

export interface EntraLoginOptions {
  tenant: string;
  method?: LoginMethod;
  clientId?: string;
  clientSecret?: string;
  certificate?: string;
  federatedTokenFile?: string;
}

export interface LoginResult {
  session: LoginSession;
  scopes: string[];
}

export interface EntraLoginContext {
  ui: Ui;
  home: string;
  env: NodeJS.ProcessEnv;
}

/** What every Entra session starts from: the authority and how the user named the tenant. */
export function entraSessionBase(tenant: string, env: NodeJS.ProcessEnv) {
  return {
    kind: "entra" as const,
    authority: `${entraAuthorityHost(env)}/${tenant}`,
    domain: isGuid(tenant) ? undefined : tenant,
  };
}

/**
 * `mcp-entra login --tenant <t>` for an Entra tenant. Without --client-id a person signs in without
 * an app of their own: through the Azure CLI's sign-in when `az` is signed in to the tenant (and no
 * --method says otherwise), else through the bootstrap app `--create-app` made for the tenant, else
 * through Microsoft Graph Command Line Tools, Microsoft's public client present in every tenant.
 */
export async function signInToEntra(
  options: EntraLoginOptions,
  ctx: EntraLoginContext,
): Promise<LoginResult> {
  const { method } = options;
  if (method === "client-credentials" || method === "federated-token-file") return signInAsApp(options, ctx);
  if (method === "azure-cli")
    return azureCliSession(options.tenant, await azureCliGraphToken(options.tenant), ctx);
  if (!options.clientId && !method) {
    const reused = await signedInAzureCli(options.tenant, ctx.ui);
    if (reused) return azureCliSession(options.tenant, reused, ctx);
  }
  const client = await loginClient(options, ctx.home);
  return signInPerson(options.tenant, client, personMethod(method, ctx.ui), ctx);
}

/** How a person signs in: the method asked for, else the browser on a terminal, device code elsewhere. */
export function personMethod(method: LoginMethod | undefined, ui: Ui): UserSignInMethod {
  if (method === "browser" || method === "device-code") return method;
  return ui.interactive ? "browser" : "device-code";
}

/** The client a person signs in through when --client-id does not name one. */
export async function loginClient(options: EntraLoginOptions, home: string): Promise<LoginClient> {
  if (options.clientId) return { kind: "own", clientId: options.clientId, label: `app ${options.clientId}` };
  const bootstrap = await findBootstrapApp(home, options.tenant);
  if (bootstrap) return bootstrapClient(bootstrap.clientId);
  return FIRST_PARTY_LOGIN_CLIENT;
}

export const FIRST_PARTY_LOGIN_CLIENT: LoginClient = {
  kind: "first-party",
  clientId: GRAPH_CLI_CLIENT_ID,
  label: "Microsoft Graph Command Line Tools",
};

export function bootstrapClient(clientId: string): LoginClient {
  return { kind: "bootstrap", clientId, label: `the bootstrap app ${clientId}` };
}

/** Signs a person in through a public client, asking for the Graph permissions `register` needs. */
export async function signInPerson(
  tenant: string,
  client: LoginClient,
  method: UserSignInMethod,
  ctx: EntraLoginContext,
): Promise<LoginResult> {
  const base = entraSessionBase(tenant, ctx.env);
  const result = await personToken(tenant, client, method, ctx);
  const session: LoginSession = {
    ...base,
    method,
    clientId: client.clientId,
    client: client.kind,
    tenantId: result.tenantId || claim(result.accessToken, "tid") || tenant,
    homeAccountId: result.account?.homeAccountId,
    username: result.account?.username,
  };
  await writeLoginSession(ctx.home, session);
  return { session, scopes: result.scopes };
}

/** A person's Graph token through a public client (cached in the home folder); nothing remembered. */
export async function personToken(
  tenant: string,
  client: LoginClient,
  method: UserSignInMethod,
  ctx: EntraLoginContext,
): Promise<AuthenticationResult> {
  ctx.ui.note(`Signing in to tenant ${tenant} through ${client.label} (${method}).`);
  const authority = entraSessionBase(tenant, ctx.env).authority;
  const app = publicClientApp({ authority, caPems: [] }, client.clientId, ctx.home);
  return signInUser(app, method, REGISTER_GRAPH_SCOPES, ctx.ui).catch((error: unknown) => {
    throw error instanceof McpEntraError ? error : signInFailure(error, client, tenant);
  });
}

/** The Azure CLI's Graph token when `az` is installed and signed in to the tenant; otherwise says why not. */
export async function signedInAzureCli(tenant: string, ui: Ui): Promise<AzureCliToken | undefined> {
  try {
    const token = await azureCliGraphToken(tenant);
    ui.note(`Reusing the Azure CLI's sign-in to tenant ${tenant} (--method azure-cli).`);
    return token;
  } catch (error) {
    if (error instanceof McpEntraError && error.code === "AZURE_CLI_FAILED") {
      ui.note(`The Azure CLI is not signed in to tenant ${tenant}; signing in without it.`);
    }
    return undefined;
  }
}

async function azureCliSession(
  tenant: string,
  token: AzureCliToken,
  ctx: EntraLoginContext,
): Promise<LoginResult> {
  const session: LoginSession = {
    ...entraSessionBase(tenant, ctx.env),
    method: "azure-cli",
    tenantId: token.tenantId,
    username: claim(token.accessToken, "upn"),
  };
  await writeLoginSession(ctx.home, session);
  return { session, scopes: scopesOf(token.accessToken) };
}

async function signInAsApp(options: EntraLoginOptions, ctx: EntraLoginContext): Promise<LoginResult> {
  const method = options.method as "client-credentials" | "federated-token-file";
  if (!options.clientId) {
    throw invalidFlag(
      "--client-id",
      `signing in with ${method} needs the client id of an app allowed to call Microsoft Graph`,
      "pass --client-id <the app's client id> (see README: Signing in to a real tenant)",
    );
  }
  const base = entraSessionBase(options.tenant, ctx.env);
  const draft: LoginSession = {
    ...base,
    method,
    clientId: options.clientId,
    tenantId: options.tenant,
    certificatePath: options.certificate,
    federatedTokenFile: options.federatedTokenFile,
  };
  const credential = appCredential(draft, {
    ...ctx.env,
    [CLIENT_SECRET_ENV]: options.clientSecret ?? ctx.env[CLIENT_SECRET_ENV],
  });
  if (!credential) {
    throw invalidFlag(
      method === "federated-token-file" ? "--federated-token-file" : "--client-secret",
      "app-only sign-in needs a credential",
      `pass --client-secret (or set ${CLIENT_SECRET_ENV}), --certificate <pem>, or --federated-token-file <file>`,
    );
  }
  const app = await confidentialClientApp(
    { authority: base.authority, caPems: [] },
    options.clientId,
    credential,
    ctx.home,
  );
  // A sign-in proves the credential: never a token msal cached for this client id earlier.
  const result = await app
    .acquireTokenByClientCredential({ scopes: [GRAPH_DEFAULT_SCOPE], skipCache: true })
    .catch((error: unknown) => {
      throw signInFailure(
        error,
        { kind: "own", clientId: options.clientId!, label: `app ${options.clientId}` },
        options.tenant,
      );
    });
  const session: LoginSession = {
    ...draft,
    tenantId: result?.tenantId || claim(result?.accessToken, "tid") || options.tenant,
  };
  await writeLoginSession(ctx.home, session);
  if (credential.kind === "secret") {
    ctx.ui.note(
      `The secret is not stored: later commands read it from ${CLIENT_SECRET_ENV} once the cached token expires.`,
    );
  }
  return { session, scopes: scopesOf(result?.accessToken) };
}

export function claim(token: string | undefined, name: string): string | undefined {
  const value = token ? decodeJwt(token)[name] : undefined;
  return typeof value === "string" ? value : undefined;
}

export function scopesOf(token: string | undefined): string[] {
  return token ? scopesFromClaims(decodeJwt(token)) : [];
}

export function scopesFromClaims(claims: Record<string, unknown>): string[] {
  if (typeof claims.scp === "string") return claims.scp.split(" ").filter(Boolean);
  return Array.isArray(claims.roles) ? claims.roles.map(String) : [];
}

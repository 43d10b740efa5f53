import { decodeJwt } from "jose/jwt/decode";
import { z } from "zod";
import { checkReadableFiles, parseOptions } from "../../cli/validate.js";
import { invalidFlag } from "../../core/errors.js";
import type { Ui } from "../../core/ui.js";
import { checkTenantFlag, tenantFlag } from "../tenant-flag.js";
import { entraAuthorityHost, GRAPH_DEFAULT_SCOPE, REGISTER_GRAPH_SCOPES } from "../tenant-target.js";
import { isGuid } from "../well-known.js";
import { azureCliGraphToken } from "./azure-cli.js";
import { DEV_TENANT_LOGIN_CLIENT_ID, signInToDevTenant } from "./dev-tenant-target.js";
import { appCredential, CLIENT_SECRET_ENV } from "./entra-target.js";
import { confidentialClientApp, publicClientApp } from "./msal-apps.js";
import { resolveTarget } from "./resolve-target.js";
import {
  LOGIN_METHODS,
  type LoginSession,
  msalCacheFile,
  readLoginSession,
  writeLoginSession,
} from "./user-settings.js";
import { signInUser } from "./user-sign-in.js";

export const loginOptionsSchema = z.object({
  tenant: tenantFlag.default("dev"),
  method: z.enum(LOGIN_METHODS, { message: `must be one of ${LOGIN_METHODS.join(", ")}` }).optional(),
  clientId: z.string().trim().refine(isGuid, "must be a GUID (the app registration's client id)").optional(),
  clientSecret: z.string().min(1).optional(),
  certificate: z.string().trim().min(1).optional(),
  federatedTokenFile: z.string().trim().min(1).optional(),
  user: z.string().trim().min(1).optional(),
});

export interface LoginResult {
  session: LoginSession;
  scopes: string[];
}

/** `mcp-entra login`: signs in to a tenant for Graph and remembers it as the default target. */
export async function runLogin(
  raw: Record<string, unknown>,
  ui: Ui,
  home: string,
  env = process.env,
): Promise<LoginResult> {
  const options = parseOptions(loginOptionsSchema, raw);
  await checkReadableFiles({
    "--certificate": options.certificate,
    "--federated-token-file": options.federatedTokenFile,
  });
  if (options.tenant === "dev") {
    const { ensureDevTenant } = await import("../../tenant/ensure.js");
    const handle = await ensureDevTenant({ home, ui });
    const result = await signInToDevTenant(handle, home, options.user);
    const session: LoginSession = {
      kind: "dev",
      authority: handle.authority,
      tenantId: handle.tenantId,
      domain: handle.domain,
      method: "device-code",
      clientId: DEV_TENANT_LOGIN_CLIENT_ID,
      homeAccountId: result.account?.homeAccountId,
      username: result.account?.username,
    };
    await writeLoginSession(home, session);
    return { session, scopes: result.scopes };
  }

  const method = options.method ?? (ui.interactive ? "browser" : "device-code");
  if (method !== "azure-cli" && !options.clientId) {
    throw invalidFlag(
      "--client-id",
      `signing in to Entra with ${method} needs the client id of an app registration allowed to call Microsoft Graph`,
      "pass --client-id <your bootstrap app's id> (see README: Signing in to a real tenant), or use --method azure-cli",
    );
  }
  const authority = `${entraAuthorityHost(env)}/${options.tenant}`;
  const target = { authority, caPems: [] };
  const base = {
    kind: "entra" as const,
    authority,
    domain: isGuid(options.tenant) ? undefined : options.tenant,
    method,
    clientId: options.clientId,
  };

  if (method === "azure-cli") {
    const token = await azureCliGraphToken(options.tenant);
    const session: LoginSession = {
      ...base,
      tenantId: token.tenantId,
      clientId: undefined,
      username: claim(token.accessToken, "upn"),
    };
    await writeLoginSession(home, session);
    return { session, scopes: scopesOf(token.accessToken) };
  }
  if (method === "client-credentials" || method === "federated-token-file") {
    const draft: LoginSession = {
      ...base,
      tenantId: options.tenant,
      certificatePath: options.certificate,
      federatedTokenFile: options.federatedTokenFile,
    };
    const credential = appCredential(draft, {
      ...env,
      [CLIENT_SECRET_ENV]: options.clientSecret ?? env[CLIENT_SECRET_ENV],
    });
    if (!credential) {
      throw invalidFlag(
        method === "federated-token-file" ? "--federated-token-file" : "--client-secret",
        "app-only sign-in needs a credential",
        `pass --client-secret (or set ${CLIENT_SECRET_ENV}), --certificate <pem>, or --federated-token-file <file>`,
      );
    }
    const app = await confidentialClientApp(target, options.clientId!, credential, home);
    const result = await app.acquireTokenByClientCredential({ scopes: [GRAPH_DEFAULT_SCOPE] });
    const session: LoginSession = {
      ...draft,
      tenantId: result?.tenantId || claim(result?.accessToken, "tid") || options.tenant,
    };
    await writeLoginSession(home, session);
    if (credential.kind === "secret") {
      ui.note(
        `The secret is not stored: later commands read it from ${CLIENT_SECRET_ENV} once the cached token expires.`,
      );
    }
    return { session, scopes: scopesOf(result?.accessToken) };
  }
  const app = publicClientApp(target, options.clientId!, home);
  const result = await signInUser(app, method as "device-code" | "browser", REGISTER_GRAPH_SCOPES, ui);
  const session: LoginSession = {
    ...base,
    tenantId: result.tenantId || claim(result.accessToken, "tid") || options.tenant,
    homeAccountId: result.account?.homeAccountId,
    username: result.account?.username,
  };
  await writeLoginSession(home, session);
  return { session, scopes: result.scopes };
}

/** `mcp-entra logout`: forgets the remembered sign-in and its cached tokens. */
export async function runLogout(home: string): Promise<LoginSession | undefined> {
  const session = await readLoginSession(home);
  if (!session) return undefined;
  if (session.homeAccountId && session.clientId) {
    const app = publicClientApp({ authority: session.authority, caPems: [] }, session.clientId, home);
    const account = await app.getTokenCache().getAccountByHomeId(session.homeAccountId);
    if (account) await app.getTokenCache().removeAccount(account);
  }
  await writeLoginSession(home, undefined);
  return session;
}

export interface WhoAmI {
  tenant: { kind: "dev" | "entra"; id: string; domain?: string; label: string };
  principal: { kind: "user" | "app"; name?: string; id?: string; appId?: string };
  method: string;
  permissions: string[];
  expiresAt?: string;
  cacheFile: string;
}

/** `mcp-entra whoami`: who commands act as, in which tenant, with which Graph permissions. */
export async function runWhoami(raw: { tenant?: string }, ui: Ui, home: string): Promise<WhoAmI> {
  const target = await resolveTarget({ tenant: checkTenantFlag(raw.tenant), home, ui });
  const session = await readLoginSession(home);
  const claims = decodeJwt(await target.graphToken());
  const isApp = claims.idtyp === "app" || (!claims.scp && Array.isArray(claims.roles));
  return {
    tenant: { kind: target.kind, id: target.tenantId, domain: target.domain, label: target.label },
    principal: isApp
      ? { kind: "app", id: str(claims.oid), appId: str(claims.appid ?? claims.azp) }
      : {
          kind: "user",
          name: str(claims.upn ?? claims.preferred_username ?? claims.unique_name),
          id: str(claims.oid),
        },
    method:
      target.kind === "dev" && session?.kind !== "dev"
        ? "dev tenant administrator (automatic)"
        : (session?.method ?? "device-code"),
    permissions: scopesFromClaims(claims),
    expiresAt: typeof claims.exp === "number" ? new Date(claims.exp * 1000).toISOString() : undefined,
    cacheFile: msalCacheFile(home),
  };
}

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function claim(token: string | undefined, name: string): string | undefined {
  return token ? str(decodeJwt(token)[name]) : undefined;
}

function scopesOf(token: string | undefined): string[] {
  return token ? scopesFromClaims(decodeJwt(token)) : [];
}

function scopesFromClaims(claims: Record<string, unknown>): string[] {
  if (typeof claims.scp === "string") return claims.scp.split(" ").filter(Boolean);
  return Array.isArray(claims.roles) ? claims.roles.map(String) : [];
}

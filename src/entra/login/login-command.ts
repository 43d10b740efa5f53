import { decodeJwt } from "jose/jwt/decode";
import { z } from "zod";
import { checkReadableFiles, parseOptions } from "../../cli/validate.js";
import { invalidFlag } from "../../core/errors.js";
import type { Ui } from "../../core/ui.js";
import { checkTenantFlag, tenantFlag } from "../tenant-flag.js";
import { isGuid } from "../well-known.js";
import { createBootstrapApp } from "./bootstrap-app.js";
import { DEV_TENANT_LOGIN_CLIENT_ID, signInToDevTenant } from "./dev-tenant-target.js";
import { type LoginResult, scopesFromClaims, signInToEntra } from "./entra-login.js";
import { publicClientApp } from "./msal-apps.js";
import { resolveTarget } from "./resolve-target.js";
import {
  LOGIN_METHODS,
  type LoginSession,
  msalCacheFile,
  readLoginSession,
  writeLoginSession,
} from "./user-settings.js";

export const loginOptionsSchema = z.object({
  tenant: tenantFlag.default("dev"),
  method: z.enum(LOGIN_METHODS, { message: `must be one of ${LOGIN_METHODS.join(", ")}` }).optional(),
  clientId: z.string().trim().refine(isGuid, "must be a GUID (the app registration's client id)").optional(),
  clientSecret: z.string().min(1).optional(),
  certificate: z.string().trim().min(1).optional(),
  federatedTokenFile: z.string().trim().min(1).optional(),
  user: z.string().trim().min(1).optional(),
  createApp: z.boolean().default(false),
});

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
  if (options.tenant === "dev" && options.createApp) {
    throw invalidFlag(
      "--create-app",
      "is for Entra tenants; the dev tenant signs you in without an app of your own",
      "pass --tenant <your tenant id or domain>, or drop --create-app",
    );
  }
  if (options.tenant === "dev") {
    const { ensureDevTenant } = await import("../../tenant/server/ensure.js");
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

  const entra = { ui, home, env };
  if (!options.createApp) return signInToEntra(options, entra);
  if (
    options.clientId ||
    options.method === "client-credentials" ||
    options.method === "federated-token-file"
  ) {
    throw invalidFlag(
      "--create-app",
      "creates the app a person signs in through, so it goes without --client-id and app-only methods",
      "drop --client-id (or --create-app), or use --method browser, device-code or azure-cli",
    );
  }
  return createBootstrapApp(options.tenant, options.method, entra);
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

import { mkdir } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { readEnvFile } from "../../core/env-file.js";
import { type ProjectApp, readProjectConfig } from "../../core/project-config.js";
import { silentUi } from "../../core/silent-ui.js";
import type { DevTenant } from "../../tenant/server/dev-tenant.js";
import { inProcessTenantTarget } from "../login/in-process-target.js";
import type { TenantTarget } from "../tenant-target.js";
import type { Preset } from "./model.js";
import type { RegisterOptions } from "./options.js";
import { runRegister } from "./run-register.js";

/** `register`'s flags, camel-cased (`--server-url` is `serverUrl`), as a test passes them. */
export type RegisterFlags = Partial<Omit<RegisterOptions, "preset" | "dir" | "dryRun" | "showSecret">>;

export interface RegisterInDevTenantOptions extends RegisterFlags {
  preset: Preset;
  /** The project folder register writes `mcp-entra.json` and `.env` into (created if missing). */
  dir: string;
}

export interface DevTenantRegistration {
  /** The registration as `mcp-entra.json` records it: ids, Application ID URI, scopes, roles. No secret. */
  app: ProjectApp;
  /** `.env` in `dir` after the run, parsed. It holds the client secret: never print or log it. */
  env: Record<string, string>;
  /** What register said it could not do (e.g. consent it was not allowed to grant). */
  warnings: string[];
}

/**
 * Runs the real `mcp-entra register` against an in-process dev tenant (a test's `startDevTenant`),
 * exactly as the command would: Graph calls from a real msal-node sign-in of the tenant's first
 * administrator. Prints nothing. `home` holds that sign-in's token cache (default: the tenant's own
 * home folder). Running it again with the same `dir` updates the registration instead of adding one.
 */
export async function registerInDevTenant(
  tenant: DevTenant,
  options: RegisterInDevTenantOptions,
  context: { home?: string } = {},
): Promise<DevTenantRegistration> {
  const dir = resolve(options.dir);
  await mkdir(dir, { recursive: true });
  const target = targetFor(tenant, context.home ?? dirname(tenant.dir));
  const result = await runRegister(
    { ...options, dir },
    { ui: silentUi({ yes: true }), target: async () => target },
  );
  const app = (await readProjectConfig(dir)).apps[result.options.preset];
  if (!app) throw new Error(`register recorded no ${options.preset} app in ${join(dir, "mcp-entra.json")}`);
  return { app, env: await readEnvFile(join(dir, ".env")), warnings: result.warnings };
}

/** One target per tenant and home: its Graph token is reused across runs. */
const targets = new WeakMap<DevTenant, Map<string, TenantTarget>>();

function targetFor(tenant: DevTenant, home: string): TenantTarget {
  const byHome = targets.get(tenant) ?? new Map<string, TenantTarget>();
  targets.set(tenant, byHome);
  let target = byHome.get(home);
  if (!target) {
    target = inProcessTenantTarget(tenant, home);
    byHome.set(home, target);
  }
  return target;
}

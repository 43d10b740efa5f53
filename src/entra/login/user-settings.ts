import { join } from "node:path";
import { z } from "zod";
import { readJsonFile, writeJsonFileAtomic } from "../../core/fs.js";

/** What `mcp-entra login` remembers in the home folder (no secrets). */
export const LOGIN_METHODS = [
  "device-code",
  "browser",
  "azure-cli",
  "client-credentials",
  "federated-token-file",
] as const;
export type LoginMethod = (typeof LOGIN_METHODS)[number];

const sessionSchema = z.object({
  kind: z.enum(["dev", "entra"]),
  /** e.g. https://login.microsoftonline.com/<tenant id> */
  authority: z.string(),
  tenantId: z.string(),
  /** The tenant as the user named it (a domain), for messages and --tenant matching. */
  domain: z.string().optional(),
  method: z.enum(LOGIN_METHODS),
  clientId: z.string().optional(),
  /** msal's homeAccountId of the signed-in user (user methods). */
  homeAccountId: z.string().optional(),
  username: z.string().optional(),
  certificatePath: z.string().optional(),
  federatedTokenFile: z.string().optional(),
  /** Whose client a person signed in through: Microsoft's first-party one, the bootstrap app, or --client-id's. */
  client: z.enum(["first-party", "bootstrap", "own"]).optional(),
});

/** A bootstrap app `login --create-app` made in a tenant; later sign-ins there go through it. */
const bootstrapAppSchema = z.object({
  tenantId: z.string(),
  domain: z.string().optional(),
  clientId: z.string(),
  createdDateTime: z.string(),
});

const settingsSchema = z.object({
  session: sessionSchema.optional(),
  bootstrapApps: z.array(bootstrapAppSchema).default([]),
});

export type BootstrapAppRecord = z.output<typeof bootstrapAppSchema>;

export type LoginSession = z.output<typeof sessionSchema>;

export function settingsFile(home: string): string {
  return join(home, "config.json");
}

export function msalCacheFile(home: string): string {
  return join(home, "msal-cache.json");
}

async function readSettings(home: string): Promise<z.output<typeof settingsSchema>> {
  const raw = await readJsonFile(settingsFile(home)).catch(() => undefined);
  const parsed = settingsSchema.safeParse(raw ?? {});
  return parsed.success ? parsed.data : { bootstrapApps: [] };
}

export async function readLoginSession(home: string): Promise<LoginSession | undefined> {
  return (await readSettings(home)).session;
}

/** Remembers (or, with undefined, forgets) the sign-in; bootstrap apps stay remembered. */
export async function writeLoginSession(home: string, session: LoginSession | undefined): Promise<void> {
  await writeJsonFileAtomic(settingsFile(home), { ...(await readSettings(home)), session });
}

/** The bootstrap app remembered for a tenant (by id or by the domain it was named with). */
export async function findBootstrapApp(
  home: string,
  tenant: string,
): Promise<BootstrapAppRecord | undefined> {
  const wanted = tenant.toLowerCase();
  return (await readSettings(home)).bootstrapApps.find(
    (app) => app.tenantId.toLowerCase() === wanted || app.domain?.toLowerCase() === wanted,
  );
}

export async function rememberBootstrapApp(home: string, app: BootstrapAppRecord): Promise<void> {
  const settings = await readSettings(home);
  const others = settings.bootstrapApps.filter((known) => known.tenantId !== app.tenantId);
  await writeJsonFileAtomic(settingsFile(home), { ...settings, bootstrapApps: [...others, app] });
}

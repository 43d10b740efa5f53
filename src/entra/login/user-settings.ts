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
});

const settingsSchema = z.object({ session: sessionSchema.optional() });

export type LoginSession = z.output<typeof sessionSchema>;

export function settingsFile(home: string): string {
  return join(home, "config.json");
}

export function msalCacheFile(home: string): string {
  return join(home, "msal-cache.json");
}

export async function readLoginSession(home: string): Promise<LoginSession | undefined> {
  const raw = await readJsonFile(settingsFile(home)).catch(() => undefined);
  const parsed = settingsSchema.safeParse(raw ?? {});
  return parsed.success ? parsed.data.session : undefined;
}

export async function writeLoginSession(home: string, session: LoginSession | undefined): Promise<void> {
  await writeJsonFileAtomic(settingsFile(home), { session });
}

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { UsageError } from "./errors.js";
import { readJsonFile, writeFileAtomic } from "./fs.js";

/**
 * `mcp-entra.json`: what mcp-entra registered for a project — ids, URIs, scopes, roles, never a
 * secret — so it is safe to commit. `register` reads it to find its apps again and writes it back.
 */
export const PROJECT_CONFIG_FILE = "mcp-entra.json";

const appSchema = z.object({
  preset: z.enum(["local", "remote", "proxy", "ci"]),
  displayName: z.string(),
  uniqueName: z.string(),
  appId: z.string().optional(),
  objectId: z.string().optional(),
  servicePrincipalId: z.string().optional(),
  appIdUri: z.string().optional(),
  serverUrl: z.string().optional(),
  /** Fully qualified scopes, e.g. api://<appId>/user_impersonation. */
  scopes: z.array(z.string()).default([]),
  roles: z.array(z.string()).default([]),
  /** The client secret mcp-entra manages (its value lives only in .env). */
  secret: z.object({ keyId: z.string(), hint: z.string().nullable(), endDateTime: z.string() }).optional(),
  /** Names of the federated credentials mcp-entra manages on this app. */
  federatedCredentials: z.array(z.string()).default([]),
  /** The user-assigned managed identity the server signs in with (--credential managed-identity). */
  managedIdentity: z
    .object({ name: z.string(), clientId: z.string(), principalId: z.string(), issuer: z.string() })
    .optional(),
  /** For the ci preset: the API app whose roles CI tokens carry. */
  apiAppId: z.string().optional(),
  /** The register flags that differ from their defaults: what `app show` compares the tenant with. */
  flags: z.record(z.string(), z.unknown()).optional(),
});

export const projectConfigSchema = z.object({
  $schema: z.string().optional(),
  tenant: z
    .object({
      id: z.string(),
      domain: z.string().optional(),
      authority: z.string(),
      kind: z.enum(["dev", "entra"]),
    })
    .optional(),
  apps: z.record(z.string(), appSchema).default({}),
});

export type ProjectConfig = z.output<typeof projectConfigSchema>;
export type ProjectApp = z.output<typeof appSchema>;

export async function readProjectConfig(dir: string): Promise<ProjectConfig> {
  const path = join(dir, PROJECT_CONFIG_FILE);
  let raw: unknown;
  try {
    raw = await readJsonFile(path);
  } catch (error) {
    throw new UsageError("PROJECT_CONFIG_INVALID", `${path} is not valid JSON.`, {
      suggestion: "fix or delete the file, then run again.",
      cause: error,
    });
  }
  const parsed = projectConfigSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const problem = parsed.error.issues[0];
    throw new UsageError(
      "PROJECT_CONFIG_INVALID",
      `${path}: ${problem?.path.join(".") || "(root)"} ${problem?.message ?? "is invalid"}.`,
      { suggestion: "fix or delete the file, then run again." },
    );
  }
  return parsed.data;
}

/** Writes mcp-entra.json when its content changes; returns whether it did. */
export async function writeProjectConfig(dir: string, config: ProjectConfig): Promise<boolean> {
  const path = join(dir, PROJECT_CONFIG_FILE);
  const text = `${JSON.stringify(config, null, 2)}\n`;
  if ((await readFile(path, "utf8").catch(() => undefined)) === text) return false;
  await writeFileAtomic(path, text, 0o644);
  return true;
}

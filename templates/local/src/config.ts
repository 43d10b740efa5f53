import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";
import { z } from "zod";
import { packageInfo } from "./package-info.js";

/** How the user signs in when no cached account can be used. */
export type SignInMethod = "device-code" | "browser";

/**
 * The server's configuration, read from environment variables (`.env` in development). Every
 * problem is reported at once, one line per variable, so a broken `.env` is fixed in one go.
 */
export interface Config {
  tenantId: string;
  /** e.g. https://login.microsoftonline.com, or https://localhost:44331 for the mcp-entra dev tenant. */
  authorityHost: string;
  /** The Application (client) ID of this server's app registration: a public client. */
  clientId: string;
  graphBaseUrl: string;
  signInMethod: SignInMethod;
  /** The MSAL token cache (accounts and refresh tokens), written with owner-only permissions. */
  tokenCacheFile: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const missing = (hint: string) => ({ error: `is missing: ${hint}` });

const guid = (hint: string) => z.string(missing(hint)).regex(GUID, `must be a GUID (${hint})`);

function withoutTrailingSlash(value: string): string {
  return value.replace(/\/+$/, "");
}

function isUrl(value: string, protocols: string[]): boolean {
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

const schema = z.object({
  ENTRA_TENANT_ID: guid("the Directory (tenant) ID of your Entra tenant"),
  ENTRA_AUTHORITY_HOST: z
    .string()
    .refine(
      (value) => isUrl(value, ["https:"]),
      "must be an https URL such as https://login.microsoftonline.com",
    )
    .transform(withoutTrailingSlash)
    .default("https://login.microsoftonline.com"),
  ENTRA_CLIENT_ID: guid("the Application (client) ID of this server's app registration"),
  GRAPH_BASE_URL: z
    .string()
    .refine(
      (value) => isUrl(value, ["https:"]),
      "must be an https URL such as https://graph.microsoft.com/v1.0",
    )
    .transform(withoutTrailingSlash)
    .default("https://graph.microsoft.com/v1.0"),
  ENTRA_SIGN_IN_METHOD: z
    .enum(["device-code", "browser"], { error: "must be device-code or browser" })
    .default("device-code"),
  ENTRA_TOKEN_CACHE_FILE: z
    .string()
    .refine(isAbsolute, "must be an absolute path (outside this project, so it is never committed)")
    .optional(),
});

/** Every environment variable the server reads (.env.example documents each one). */
export const CONFIG_VARIABLES = Object.keys(schema.shape);

/** Reads the configuration; throws a ConfigError listing every missing or invalid variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty value in .env (NAME=) means "not set".
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ""),
  );
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0]);
      if (seen.has(name)) continue;
      seen.add(name);
      problems.push(`${name} ${issue.message}`);
    }
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  return {
    tenantId: e.ENTRA_TENANT_ID.toLowerCase(),
    authorityHost: e.ENTRA_AUTHORITY_HOST,
    clientId: e.ENTRA_CLIENT_ID.toLowerCase(),
    graphBaseUrl: e.GRAPH_BASE_URL,
    signInMethod: e.ENTRA_SIGN_IN_METHOD,
    tokenCacheFile: e.ENTRA_TOKEN_CACHE_FILE ?? defaultTokenCacheFile(env),
  };
}

/**
 * Where the token cache lives unless ENTRA_TOKEN_CACHE_FILE says otherwise: the user's cache folder,
 * never the project folder (a refresh token must not end up in git).
 * Windows: %LOCALAPPDATA%\<name>; macOS: ~/Library/Caches/<name>; else $XDG_CACHE_HOME/<name> or
 * ~/.cache/<name>. <name> is this package's name (a scope's `@` dropped, `/` turned into `-`).
 */
export function defaultTokenCacheFile(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  const name = packageInfo.name.replace(/^@/, "").replace(/\//g, "-");
  const base =
    platform === "win32"
      ? (env.LOCALAPPDATA ?? join(home, "AppData", "Local"))
      : platform === "darwin"
        ? join(home, "Library", "Caches")
        : env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME)
          ? env.XDG_CACHE_HOME
          : join(home, ".cache");
  return join(base, name, "msal-token-cache.json");
}

/** The tenant's endpoints, derived from the configuration. */
export function entraEndpoints(config: Pick<Config, "authorityHost" | "tenantId">) {
  const authority = `${config.authorityHost}/${config.tenantId}`;
  return { authority, issuer: `${authority}/v2.0` };
}

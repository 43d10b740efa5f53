import { z } from "zod";
import {
  type EntraCredential,
  entraCredential,
  entraCredentialVariables,
} from "./entra-credential-config.js";

/**
 * The server's configuration, read from environment variables (`.env` in development). Every
 * problem is reported at once, one line per variable, so a broken `.env` is fixed in one go.
 */
export interface Config {
  tenantId: string;
  /** e.g. https://login.microsoftonline.com, or https://localhost:44331 for the mcp-entra dev tenant. */
  authorityHost: string;
  /** The API app's client id: the audience of v2 access tokens. */
  clientId: string;
  /** The API's Application ID URI: the audience of v1 access tokens and the prefix of its scopes. */
  appIdUri: string;
  /** How this server proves its identity to Entra for on-behalf-of. */
  credential: EntraCredential;
  acceptV1Tokens: boolean;
  graphBaseUrl: string;
  /** The canonical URL of the MCP endpoint (no trailing slash): PRM `resource` and the route. */
  serverUrl: string;
  /** The fully qualified delegated scope clients request, e.g. api://<appId>/user_impersonation. */
  scope: string;
  port: number;
  host: string;
  tls?: { certFile: string; keyFile: string };
  /** Requests per minute and client address allowed on the MCP endpoint. */
  rateLimitPerMinute: number;
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

const optionalText = z.string().min(1).optional();

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
  ENTRA_CLIENT_ID: guid("the Application (client) ID of this API's app registration"),
  ENTRA_APP_ID_URI: z
    .string(missing("the Application ID URI of this API, e.g. api://<client id>"))
    .refine((value) => isUrl(value, ["api:", "https:"]), "must start with api:// or https://")
    .transform(withoutTrailingSlash),
  ...entraCredentialVariables,
  ENTRA_ACCEPT_V1_TOKENS: z
    .enum(["true", "false"], { error: "must be true or false" })
    .default("false")
    .transform((value) => value === "true"),
  GRAPH_BASE_URL: z
    .string()
    .refine(
      (value) => isUrl(value, ["https:"]),
      "must be an https URL such as https://graph.microsoft.com/v1.0",
    )
    .transform(withoutTrailingSlash)
    .default("https://graph.microsoft.com/v1.0"),
  MCP_SERVER_URL: z
    .string(missing("the public URL of the MCP endpoint, e.g. http://localhost:3000/mcp"))
    .refine(
      (value) => isUrl(value, ["https:", "http:"]),
      "must be an http(s) URL such as http://localhost:3000/mcp",
    )
    .refine((value) => !/[?#]/.test(value), "must not carry a query or fragment")
    .transform((value) => withoutTrailingSlash(new URL(value).href)),
  MCP_SCOPE: z
    .string()
    .regex(
      /^(api|https):\/\/\S+\/[^/\s]+$/,
      "must be a fully qualified scope such as api://<client id>/user_impersonation",
    )
    .optional(),
  PORT: z
    .string()
    .regex(/^\d{1,5}$/, "must be a port number from 0 to 65535")
    .transform(Number)
    .refine((port) => port <= 65535, "must be a port number from 0 to 65535")
    .default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  TLS_CERT_FILE: optionalText,
  TLS_KEY_FILE: optionalText,
  RATE_LIMIT_PER_MINUTE: z
    .string()
    .regex(/^\d{1,7}$/, "must be a whole number of requests per minute")
    .transform(Number)
    .refine((limit) => limit >= 1, "must be at least 1")
    .default(300),
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
  const problems: string[] = [];
  if (!parsed.success) {
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
  const { credential, problems: credentialProblems } = entraCredential(
    e,
    "to call Microsoft Graph on behalf of users",
  );
  problems.push(...credentialProblems);
  if (Boolean(e.TLS_CERT_FILE) !== Boolean(e.TLS_KEY_FILE)) {
    problems.push(`${e.TLS_CERT_FILE ? "TLS_KEY_FILE" : "TLS_CERT_FILE"} is missing: HTTPS needs both files`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    tenantId: e.ENTRA_TENANT_ID.toLowerCase(),
    authorityHost: e.ENTRA_AUTHORITY_HOST,
    clientId: e.ENTRA_CLIENT_ID.toLowerCase(),
    appIdUri: e.ENTRA_APP_ID_URI,
    credential: credential!,
    acceptV1Tokens: e.ENTRA_ACCEPT_V1_TOKENS,
    graphBaseUrl: e.GRAPH_BASE_URL,
    serverUrl: e.MCP_SERVER_URL,
    scope: e.MCP_SCOPE ?? `${e.ENTRA_APP_ID_URI}/user_impersonation`,
    port: e.PORT,
    host: e.HOST,
    tls:
      e.TLS_CERT_FILE && e.TLS_KEY_FILE ? { certFile: e.TLS_CERT_FILE, keyFile: e.TLS_KEY_FILE } : undefined,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
  };
}

/** The tenant's endpoints, derived from the configuration. */
export function entraEndpoints(config: Pick<Config, "authorityHost" | "tenantId">) {
  const authority = `${config.authorityHost}/${config.tenantId}`;
  return {
    authority,
    issuer: `${authority}/v2.0`,
    /** Entra's v1 issuer is the same for every cloud host. */
    v1Issuer: `https://sts.windows.net/${config.tenantId}/`,
    jwksUri: `${authority}/discovery/v2.0/keys`,
  };
}

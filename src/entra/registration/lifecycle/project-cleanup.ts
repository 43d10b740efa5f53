import { readEnvFile, updateEnvFile } from "../../../core/env-file.js";
import type { ProjectApp, ProjectConfig } from "../../../core/project-config.js";
import type { Preset } from "../model.js";
import { secretVariable } from "../project-outputs.js";

/**
 * What `app delete` removes from the project: the registration's entry in mcp-entra.json and the
 * .env variables that only it uses. The names mirror envValues() in project-outputs.ts (a unit test
 * keeps them in step). Server settings (MCP_SERVER_URL, PORT) describe the server, not the
 * registration, and stay.
 */
const TENANT_VARIABLES = ["ENTRA_TENANT_ID", "ENTRA_AUTHORITY_HOST", "NODE_EXTRA_CA_CERTS", "GRAPH_BASE_URL"];
export const SERVER_VARIABLES = ["MCP_SERVER_URL", "PORT"];
/** The dev tenant's managed identity endpoint, written for a server registered with a managed identity. */
export const MANAGED_IDENTITY_HOST_VARIABLES = ["IDENTITY_ENDPOINT", "IDENTITY_HEADER"];

export function envVariables(preset: Preset): { app: string[]; tenant: string[] } {
  const secret = secretVariable({ preset });
  if (preset === "ci") return { app: ["MCP_CLIENT_ID", secret], tenant: ["ENTRA_TENANT_ID"] };
  if (preset === "local") return { app: ["ENTRA_CLIENT_ID"], tenant: TENANT_VARIABLES };
  return {
    app: ["ENTRA_CLIENT_ID", "ENTRA_APP_ID_URI", "MCP_SCOPE", secret, "ENTRA_MANAGED_IDENTITY_CLIENT_ID"],
    tenant: [...TENANT_VARIABLES, ...MANAGED_IDENTITY_HOST_VARIABLES],
  };
}

/** The .env variables to remove when `record` goes and `remaining` registrations stay. */
export async function variablesToRemove(
  envPath: string,
  record: ProjectApp,
  remaining: ProjectApp[],
): Promise<string[]> {
  const env = await readEnvFile(envPath);
  const mine = envVariables(record.preset);
  const usedByOthers = new Set(remaining.flatMap((app) => Object.values(envVariables(app.preset)).flat()));
  const clientIdVariable = mine.app[0]!;
  // .env names this app: its app-specific values go even if another registration could use the names.
  const holdsThisApp = record.appId !== undefined && env[clientIdVariable] === record.appId;
  const candidates = [
    ...mine.app.filter((name) => holdsThisApp || !usedByOthers.has(name)),
    ...mine.tenant.filter((name) => !usedByOthers.has(name)),
  ];
  return candidates.filter((name) => name in env);
}

/** Removes the registration from mcp-entra.json (and the tenant record with the last one) and .env. */
export async function removeFromProject(
  config: ProjectConfig,
  key: string,
  envPath: string,
  variables: string[],
): Promise<void> {
  delete config.apps[key];
  if (Object.keys(config.apps).length === 0) delete config.tenant;
  if (variables.length > 0) {
    await updateEnvFile(envPath, Object.fromEntries(variables.map((name) => [name, undefined])));
  }
}

import { afterAll, beforeAll, expect } from "vitest";
import { type DetachedTenant, JWT_PATTERN, startDetachedTenant } from "./detached-tenant.js";
import { assertBuilt, type CliResult } from "./run-cli.js";

/**
 * A dev tenant in the background reached as Entra: mcp-entra's Entra path (not the dev-tenant
 * shortcut) through MCP_ENTRA_AUTHORITY_HOST and MCP_ENTRA_GRAPH_BASE_URL, trusted the way a user
 * trusts a corporate proxy, with NODE_EXTRA_CA_CERTS set before each process starts.
 */
export interface EntraPath {
  tenant: DetachedTenant;
  /** The environment that sends the built binary's Entra path to the tenant. */
  env: NodeJS.ProcessEnv;
  /** Its first administrator, and a user who is none. */
  admin: string;
  member: string;
  /** The built binary against the tenant on the Entra path; its output is kept for `expectNoTokens`. */
  cli(args: string[], env?: NodeJS.ProcessEnv): Promise<CliResult>;
  /** Keeps output captured elsewhere (a process started with startCli) for `expectNoTokens`. */
  keep(...outputs: string[]): void;
  /** No access, ID or refresh token in anything the runs printed. */
  expectNoTokens(): void;
}

/** Starts the tenant before the file's tests and stops it after them. */
export function useEntraPath(): () => EntraPath {
  let path: EntraPath | undefined;
  beforeAll(async () => {
    assertBuilt();
    const tenant = await startDetachedTenant();
    const env = {
      NODE_EXTRA_CA_CERTS: tenant.caFile,
      MCP_ENTRA_AUTHORITY_HOST: tenant.url,
      MCP_ENTRA_GRAPH_BASE_URL: tenant.url,
    };
    const users = await tenant.admin.listUsers();
    const outputs: string[] = [];
    path = {
      tenant,
      env,
      admin: users.find((user) => user.admin)!.userPrincipalName,
      member: users.find((user) => !user.admin)!.userPrincipalName,
      cli: async (args, extra = {}) => {
        const result = await tenant.cli(args, { ...env, ...extra });
        outputs.push(result.stdout, result.stderr);
        return result;
      },
      keep: (...more) => {
        outputs.push(...more);
      },
      expectNoTokens: () => {
        for (const output of outputs) expect(output).not.toMatch(JWT_PATTERN);
      },
    };
  });
  afterAll(async () => {
    await path?.tenant.stop();
  });
  return () => {
    if (!path) throw new Error("useEntraPath(): the tenant starts in beforeAll");
    return path;
  };
}

import { mcpEntraHome } from "../../core/paths.js";
import type { Ui } from "../../core/ui.js";
import { ensureDevTenant } from "../../tenant/server/ensure.js";

/**
 * `tenant env`: environment lines for other tools, to `eval` in a shell. NODE_EXTRA_CA_CERTS makes
 * a Node process trust the dev tenant's CA; it must be set before that process starts.
 */
export async function tenantEnv(home: string, ui?: Ui): Promise<Record<string, string>> {
  const tenant = await ensureDevTenant({ home, ui });
  return {
    NODE_EXTRA_CA_CERTS: tenant.caFile,
    MCP_ENTRA_TENANT_URL: tenant.url,
    MCP_ENTRA_TENANT_ID: tenant.tenantId,
    MCP_ENTRA_AUTHORITY: tenant.authority,
    MCP_ENTRA_ISSUER: tenant.issuer,
  };
}

export async function runTenantEnv(ui: Ui, home = mcpEntraHome()): Promise<number> {
  const variables = await tenantEnv(home, ui);
  if (ui.json) {
    ui.printJson(variables);
    return 0;
  }
  for (const [name, value] of Object.entries(variables)) ui.print(`export ${name}=${shellQuote(value)}`);
  return 0;
}

/** Single-quoted for POSIX shells. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

import { homedir } from "node:os";
import { join } from "node:path";

/** The mcp-entra home folder: `MCP_ENTRA_HOME`, else `~/.mcp-entra`. */
export function mcpEntraHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.MCP_ENTRA_HOME?.trim() || join(homedir(), ".mcp-entra");
}

/** Where a dev tenant keeps its CA, keys, state and runtime files. */
export function devTenantHome(home: string): string {
  return join(home, "dev-tenant");
}

import { rm } from "node:fs/promises";
import {
  type AuthorizationServerFixture,
  type AuthorizationServerOptions,
  startAuthorizationServer,
} from "../spec-fixtures/authorization-server.js";
import { type McpServerFixture, type McpServerOptions, startMcpServer } from "../spec-fixtures/mcp-server.js";
import { tempDir } from "./dev-tenant.js";

export interface SpecServers {
  as: AuthorizationServerFixture;
  mcp: McpServerFixture;
  /** A temporary mcp-entra home (stored sessions). */
  home: string;
}

/**
 * The spec-only fixtures of test/spec-fixtures (written from the spec text, not from test-flow): an
 * authorization server and an MCP server protected by it, on port 0, for the body; then stopped.
 */
export async function withSpecServers<T>(
  asOptions: AuthorizationServerOptions,
  mcpOptions: McpServerOptions,
  body: (servers: SpecServers) => Promise<T>,
): Promise<T> {
  const as = await startAuthorizationServer(asOptions);
  const mcp = await startMcpServer({ authorizationServers: [as], ...mcpOptions }).catch(async (error) => {
    await as.stop();
    throw error;
  });
  const home = await tempDir("mcp-entra-spec-");
  try {
    return await body({ as, mcp, home });
  } finally {
    await mcp.stop();
    await as.stop();
    await rm(home, { recursive: true, force: true });
  }
}

/** The ids of a report's steps with their attempt and status, in order ("tools-list#2:passed"). */
export function stepTrail(report: { steps: { id: string; attempt: number; status: string }[] }): string[] {
  return report.steps.map((item) => `${item.id}#${item.attempt}:${item.status}`);
}

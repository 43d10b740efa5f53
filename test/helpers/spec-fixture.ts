import { rm } from "node:fs/promises";
import { tempDir } from "./dev-tenant.js";
import {
  type SpecAsOptions,
  type SpecAuthorizationServer,
  startSpecAuthorizationServer,
} from "./spec-authorization-server.js";
import { type SpecMcpOptions, type SpecMcpServer, startSpecMcpServer } from "./spec-mcp-server.js";

export interface SpecFixture {
  as: SpecAuthorizationServer;
  mcp: SpecMcpServer;
  /** A temporary mcp-entra home for stored sessions. */
  home: string;
}

/** Starts the spec authorization server and MCP server (port 0), runs `body`, and stops them. */
export async function withSpecFixture<T>(
  asOptions: SpecAsOptions,
  mcpOptions: SpecMcpOptions,
  body: (fixture: SpecFixture) => Promise<T>,
): Promise<T> {
  const as = await startSpecAuthorizationServer(asOptions);
  const mcp = await startSpecMcpServer(as, mcpOptions);
  const home = await tempDir("mcp-entra-flow-");
  try {
    return await body({ as, mcp, home });
  } finally {
    await mcp.stop();
    await as.stop();
    await rm(home, { recursive: true, force: true });
  }
}

import type { ClientOptions } from "@modelcontextprotocol/client";

/** The MCP revisions this server speaks over stdio: 2026-07-28, and 2025-11-25. */
export const REVISIONS = ["2026-07-28", "2025-11-25"] as const;
export type Revision = (typeof REVISIONS)[number];

/** What makes the SDK's Client speak `revision`: 2026-07-28 pinned (no fallback), or the 2025 handshake. */
export function clientOptions(revision: Revision): ClientOptions {
  return revision === "2026-07-28" ? { versionNegotiation: { mode: { pin: revision } } } : {};
}

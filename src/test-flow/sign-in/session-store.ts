import { createHash } from "node:crypto";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { OAuthClientInformationMixed, OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";
import { readJsonFile, writeJsonFileAtomic } from "../../core/fs.js";

/** One stored sign-in: tokens (and a dynamic or CIMD client registration) for a server and its AS. */
export interface StoredSession {
  server: string;
  authorizationServer: string;
  clientId?: string;
  /** delegated (a user signed in) or app (client credentials). */
  grant?: "delegated" | "app";
  /** The scope that was requested (what the tokens were asked for). */
  scope?: string;
  tokens?: OAuthTokens;
  /** When the tokens were obtained (ms since epoch), to turn expires_in into an expiry. */
  obtainedAt?: number;
  /** A registration made by the flow itself (DCR or CIMD), reused by the next run. */
  client?: OAuthClientInformationMixed & { method: "client-id-metadata-document" | "dynamic-registration" };
}

/**
 * Stored sessions, one file per (server, authorization server) under `<home>/test-flow/sessions`,
 * written atomically with owner-only permissions (0600).
 */
export class TokenStore {
  constructor(private readonly home: string) {}

  fileFor(server: string, authorizationServer: string): string {
    const key = createHash("sha256").update(`${server}\n${authorizationServer}`).digest("hex").slice(0, 32);
    return join(this.home, "test-flow", "sessions", `${key}.json`);
  }

  async load(server: string, authorizationServer: string): Promise<StoredSession | undefined> {
    const stored = await readJsonFile<StoredSession>(this.fileFor(server, authorizationServer)).catch(
      () => undefined,
    );
    return stored?.server === server && stored.authorizationServer === authorizationServer
      ? stored
      : undefined;
  }

  async save(session: StoredSession): Promise<void> {
    await writeJsonFileAtomic(this.fileFor(session.server, session.authorizationServer), session);
  }

  async clear(server: string, authorizationServer: string): Promise<void> {
    await rm(this.fileFor(server, authorizationServer), { force: true });
  }
}

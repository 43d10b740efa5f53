import { createHash } from "node:crypto";
import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { OAuthClientInformationMixed, OAuthTokens } from "@modelcontextprotocol/client";
import { readJsonFile, writeJsonFileAtomic } from "../../core/fs.js";

/** A client registration test-flow made itself, bound to the authorization server that issued it. */
export type StoredRegistration = OAuthClientInformationMixed & {
  method: "client-id-metadata-document" | "dynamic-registration";
  /** The issuer of the authorization server it belongs to (SEP-2352): never used with another. */
  issuer: string;
};

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
  /** A registration made by the flow itself (DCR or CIMD), reused by the next run with the same AS. */
  client?: StoredRegistration;
}

/**
 * Stored sessions, one file per (server, authorization server) under `<home>/test-flow/sessions`,
 * written atomically with owner-only permissions (0600). Keyed by the authorization server too, so a
 * registration or token one authorization server issued is never offered to another.
 */
export class TokenStore {
  constructor(private readonly home: string) {}

  private get dir(): string {
    return join(this.home, "test-flow", "sessions");
  }

  fileFor(server: string, authorizationServer: string): string {
    const key = createHash("sha256").update(`${server}\n${authorizationServer}`).digest("hex").slice(0, 32);
    return join(this.dir, `${key}.json`);
  }

  async load(server: string, authorizationServer: string): Promise<StoredSession | undefined> {
    const stored = await readJsonFile<StoredSession>(this.fileFor(server, authorizationServer)).catch(
      () => undefined,
    );
    return stored?.server === server && stored.authorizationServer === authorizationServer
      ? stored
      : undefined;
  }

  /** The other authorization servers this server's sign-ins were stored for (it moved from them). */
  async otherAuthorizationServers(server: string, current: string): Promise<string[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const others: string[] = [];
    for (const name of names.filter((file) => file.endsWith(".json"))) {
      const stored = await readJsonFile<StoredSession>(join(this.dir, name)).catch(() => undefined);
      if (stored?.server === server && stored.authorizationServer !== current) {
        others.push(stored.authorizationServer);
      }
    }
    return others;
  }

  async save(session: StoredSession): Promise<void> {
    await writeJsonFileAtomic(this.fileFor(session.server, session.authorizationServer), session);
  }

  async clear(server: string, authorizationServer: string): Promise<void> {
    await rm(this.fileFor(server, authorizationServer), { force: true });
  }
}

import { join } from "node:path";
import type { ClientMetadata } from "./client-metadata.js";
import { randomToken, sha256 } from "./crypto-helpers.js";
import { OAuthError } from "./oauth-error.js";
import { ensurePrivateDir, readOptional, serialWriter } from "./state-files.js";

/** A client registered through /register (RFC 7591). Its secret is kept as a hash only. */
export interface RegisteredClient extends ClientMetadata {
  client_id: string;
  /** Seconds since the epoch. */
  client_id_issued_at: number;
  client_secret_hash?: string;
}

interface StoreFile {
  version: 1;
  clients: RegisteredClient[];
}

/** Open registration is unauthenticated: this bounds what anonymous callers can make the file hold. */
const MAX_CLIENTS = 10_000;

/**
 * The registered clients, in `<PROXY_STATE_DIR>/clients.json` (0600, replaced atomically on every
 * change, so registrations survive restarts and crashes). Writes are queued one after another.
 */
export class ClientStore {
  private readonly write: (content: string) => Promise<void>;

  private constructor(
    file: string,
    private readonly clients: Map<string, RegisteredClient>,
  ) {
    this.write = serialWriter(file);
  }

  static async open(stateDir: string): Promise<ClientStore> {
    await ensurePrivateDir(stateDir);
    const file = join(stateDir, "clients.json");
    const text = await readOptional(file);
    const parsed = text ? (JSON.parse(text.toString("utf8")) as StoreFile) : { version: 1, clients: [] };
    if (parsed.version !== 1 || !Array.isArray(parsed.clients)) {
      throw new Error(`${file} is not a client registration file this server understands`);
    }
    return new ClientStore(file, new Map(parsed.clients.map((client) => [client.client_id, client])));
  }

  get(clientId: string): RegisteredClient | undefined {
    return this.clients.get(clientId);
  }

  /** Registers a client; a client that authenticates at the token endpoint also gets a secret. */
  async register(
    metadata: ClientMetadata,
    issuedAt: number,
  ): Promise<{ client: RegisteredClient; secret?: string }> {
    if (this.clients.size >= MAX_CLIENTS) {
      throw new OAuthError("temporarily_unavailable", "No more clients can be registered.", 503);
    }
    const secret = metadata.token_endpoint_auth_method === "none" ? undefined : randomToken();
    const client: RegisteredClient = {
      client_id: `mcp-${randomToken(16)}`,
      client_id_issued_at: issuedAt,
      ...metadata,
      ...(secret ? { client_secret_hash: sha256(secret) } : {}),
    };
    this.clients.set(client.client_id, client);
    try {
      await this.save();
    } catch (error) {
      this.clients.delete(client.client_id);
      throw error;
    }
    return { client, secret };
  }

  private save(): Promise<void> {
    return this.write(
      `${JSON.stringify({ version: 1, clients: [...this.clients.values()] } satisfies StoreFile, null, 2)}\n`,
    );
  }
}

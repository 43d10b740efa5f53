import { join } from "node:path";
import { MAX_CLIENTS, type RegisteredClient } from "./proxy-store.js";
import { ensurePrivateDir, readOptional, serialWriter } from "./state-files.js";

interface StoreFile {
  version: 1;
  clients: RegisteredClient[];
}

/**
 * The registered clients, in `<PROXY_STATE_DIR>/clients.json` (0600, replaced atomically on every
 * change, so registrations survive restarts and crashes). Writes are queued one after another.
 */
export class ClientFile {
  private readonly write: (content: string) => Promise<void>;

  private constructor(
    file: string,
    private readonly clients: Map<string, RegisteredClient>,
  ) {
    this.write = serialWriter(file);
  }

  static async open(stateDir: string): Promise<ClientFile> {
    await ensurePrivateDir(stateDir);
    const file = join(stateDir, "clients.json");
    const text = await readOptional(file);
    const parsed = text ? (JSON.parse(text.toString("utf8")) as StoreFile) : { version: 1, clients: [] };
    if (parsed.version !== 1 || !Array.isArray(parsed.clients)) {
      throw new Error(`${file} is not a client registration file this server understands`);
    }
    return new ClientFile(file, new Map(parsed.clients.map((client) => [client.client_id, client])));
  }

  get(clientId: string): RegisteredClient | undefined {
    return this.clients.get(clientId);
  }

  async add(client: RegisteredClient): Promise<boolean> {
    if (this.clients.size >= MAX_CLIENTS) return false;
    this.clients.set(client.client_id, client);
    try {
      await this.write(
        `${JSON.stringify({ version: 1, clients: [...this.clients.values()] } satisfies StoreFile, null, 2)}\n`,
      );
    } catch (error) {
      this.clients.delete(client.client_id);
      throw error;
    }
    return true;
  }
}

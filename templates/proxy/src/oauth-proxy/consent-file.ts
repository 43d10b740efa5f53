import { join } from "node:path";
import type { Consent } from "./proxy-store.js";
import { readOptional, serialWriter } from "./state-files.js";

interface ConsentsFile {
  version: 1;
  consents: Consent[];
}

/**
 * Which users allowed which clients, in `<PROXY_STATE_DIR>/consents.json` (0600, replaced atomically
 * on every change). Only people who signed in can add to it, one entry per user and client.
 */
export class ConsentFile {
  private readonly write: (content: string) => Promise<void>;

  private constructor(
    file: string,
    private readonly consents: Map<string, Consent>,
  ) {
    this.write = serialWriter(file);
  }

  static async open(stateDir: string): Promise<ConsentFile> {
    const file = join(stateDir, "consents.json");
    const text = await readOptional(file);
    const parsed = text ? (JSON.parse(text.toString("utf8")) as ConsentsFile) : { version: 1, consents: [] };
    if (parsed.version !== 1 || !Array.isArray(parsed.consents)) {
      throw new Error(`${file} is not a consent file this server understands`);
    }
    return new ConsentFile(file, new Map(parsed.consents.map((consent) => [keyOf(consent), consent])));
  }

  get(userId: string, clientId: string): Consent | undefined {
    return this.consents.get(keyOf({ userId, clientId }));
  }

  async save(consent: Consent): Promise<void> {
    const key = keyOf(consent);
    const previous = this.consents.get(key);
    this.consents.set(key, consent);
    try {
      await this.write(
        `${JSON.stringify({ version: 1, consents: [...this.consents.values()] } satisfies ConsentsFile, null, 2)}\n`,
      );
    } catch (error) {
      if (previous) this.consents.set(key, previous);
      else this.consents.delete(key);
      throw error;
    }
  }
}

function keyOf(consent: Pick<Consent, "userId" | "clientId">): string {
  return `${consent.userId} ${consent.clientId}`;
}

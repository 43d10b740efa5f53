import type { OAuthClientInformationMixed, OAuthTokens } from "@modelcontextprotocol/client";
import type { StoredRegistration, StoredSession, TokenStore } from "./session-store.js";

export interface StoredSignInOptions {
  store: TokenStore;
  /** The canonical server URL: the store's key. */
  server: string;
  /** The authorization server's issuer: the other key, and the stamp registrations must carry. */
  authorizationServer: string;
  /** --fresh: stored tokens and registrations are not read (new ones are still saved). */
  fresh: boolean;
  grant: "delegated" | "app";
}

/**
 * What one run keeps about its sign-in with one authorization server, and reuses next time: the client
 * registration it made (DCR or CIMD, stamped with the issuer) and the tokens, with the scope they were
 * asked for and when. Files are written by the store (0600).
 */
export class StoredSignIn {
  private constructor(
    private readonly options: StoredSignInOptions,
    private session: StoredSession,
  ) {}

  static async open(options: StoredSignInOptions): Promise<StoredSignIn> {
    const stored = options.fresh
      ? undefined
      : await options.store.load(options.server, options.authorizationServer);
    return new StoredSignIn(
      options,
      stored ?? { server: options.server, authorizationServer: options.authorizationServer },
    );
  }

  /** The registration stored for this authorization server (never one stamped with another issuer). */
  registration(): StoredRegistration | undefined {
    const client = this.session.client;
    return client?.issuer === this.options.authorizationServer ? client : undefined;
  }

  async saveRegistration(
    information: OAuthClientInformationMixed,
    method: StoredRegistration["method"],
  ): Promise<StoredRegistration> {
    const registration = { ...information, method, issuer: this.options.authorizationServer };
    this.session.client = registration;
    this.session.tokens = undefined;
    await this.persist();
    return registration;
  }

  /** The port of the stored registration's loopback redirect URI, to listen on it again. */
  redirectPort(): number | undefined {
    const client = this.registration();
    const uris =
      client && "redirect_uris" in client ? (client.redirect_uris as string[] | undefined) : undefined;
    const uri = uris?.[0];
    return uri && URL.canParse(uri) ? Number(new URL(uri).port) || undefined : undefined;
  }

  /** Stored tokens, when they were obtained by the same client for the same kind of grant. */
  tokens(clientId: string | undefined): OAuthTokens | undefined {
    const { tokens, grant } = this.session;
    if (!tokens || grant !== this.options.grant || this.session.clientId !== clientId) return undefined;
    return tokens;
  }

  /** The scope the stored tokens were requested with, and when they expire (ms), if known. */
  tokenInfo(): { scope?: string; expiresAt?: number } {
    const { tokens, obtainedAt, scope } = this.session;
    const expiresAt =
      tokens?.expires_in !== undefined && obtainedAt !== undefined
        ? obtainedAt + tokens.expires_in * 1000
        : undefined;
    return { scope, expiresAt };
  }

  async saveTokens(
    tokens: OAuthTokens,
    scope: string | undefined,
    clientId: string | undefined,
  ): Promise<void> {
    Object.assign(this.session, {
      tokens,
      obtainedAt: Date.now(),
      scope,
      grant: this.options.grant,
      clientId,
    });
    await this.persist();
  }

  async forgetTokens(): Promise<void> {
    this.session.tokens = undefined;
    await this.persist();
  }

  private async persist(): Promise<void> {
    await this.options.store.save(this.session);
  }
}

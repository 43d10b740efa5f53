import { randomBytes } from "node:crypto";
import type { OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from "@modelcontextprotocol/sdk/shared/auth.js";
import { OperationError } from "../../core/errors.js";
import { sameResource } from "../resource-url.js";
import type { StoredSession, TokenStore } from "./session-store.js";

export interface FlowProviderOptions {
  store: TokenStore;
  /** The canonical server URL: the store's key and the `resource` to send. */
  server: string;
  authorizationServer: string;
  /** --fresh: stored tokens and registrations are not read (new ones are still saved). */
  fresh: boolean;
  grant: "delegated" | "app";
  preRegistered?: { client_id: string; client_secret?: string };
  clientMetadataUrl?: string;
  /** false with --no-resource. */
  sendResource: boolean;
  /** How the user agent reaches the authorization endpoint (browser or headless). */
  agent?: (authorizationUrl: URL) => Promise<void>;
}

/**
 * mcp-entra's OAuthClientProvider: everything about storage (tokens and client registrations per
 * server and authorization server, 0600) and user interaction (the sign-in agent) behind the SDK's
 * interface. The flow runner drives it step by step; the SDK's `fetchToken` uses it for client
 * credentials against spec authorization servers.
 */
export class FlowOAuthProvider implements OAuthClientProvider {
  private session: StoredSession;
  private verifier?: string;
  private currentState?: string;
  redirectUri?: string;
  /** The scope of the next request (and of DCR). */
  scope?: string;

  private constructor(
    private readonly options: FlowProviderOptions,
    stored: StoredSession | undefined,
  ) {
    this.session = stored ?? { server: options.server, authorizationServer: options.authorizationServer };
  }

  static async open(options: FlowProviderOptions): Promise<FlowOAuthProvider> {
    const stored = options.fresh
      ? undefined
      : await options.store.load(options.server, options.authorizationServer);
    return new FlowOAuthProvider(options, stored);
  }

  get redirectUrl(): string | undefined {
    return this.options.grant === "app" ? undefined : this.redirectUri;
  }

  get clientMetadataUrl(): string | undefined {
    return this.options.clientMetadataUrl;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: "mcp-entra test-flow",
      redirect_uris: this.redirectUri ? [this.redirectUri] : [],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
      scope: this.scope,
    };
  }

  /** A new unguessable `state` for each authorization request. */
  state(): string {
    this.currentState = randomBytes(16).toString("base64url");
    return this.currentState;
  }

  get expectedState(): string | undefined {
    return this.currentState;
  }

  get preRegistered(): OAuthClientInformationMixed | undefined {
    return this.options.preRegistered;
  }

  /** Pre-registered credentials first; else a registration this flow stored for this AS. */
  clientInformation(): OAuthClientInformationMixed | undefined {
    return this.options.preRegistered ?? this.session.client;
  }

  /** The stored DCR/CIMD registration, when it is usable with the current redirect URI. */
  storedRegistration(): StoredSession["client"] {
    const client = this.session.client;
    if (!client) return undefined;
    if (client.method === "client-id-metadata-document") {
      return client.client_id === this.options.clientMetadataUrl ? client : undefined;
    }
    // Without a redirect URI in this run the registration only serves a refresh.
    if (!this.redirectUri) return client;
    const uris = "redirect_uris" in client ? (client.redirect_uris as string[] | undefined) : undefined;
    return uris?.includes(this.redirectUri) ? client : undefined;
  }

  /** The port of the stored registration's loopback redirect URI, to listen on it again. */
  storedRedirectPort(): number | undefined {
    const client = this.session.client;
    const uri = client && "redirect_uris" in client ? (client.redirect_uris as string[])?.[0] : undefined;
    return uri ? Number(new URL(uri).port) || undefined : undefined;
  }

  async saveClientInformation(information: OAuthClientInformationMixed): Promise<void> {
    const method =
      information.client_id === this.options.clientMetadataUrl
        ? "client-id-metadata-document"
        : "dynamic-registration";
    this.session.client = { ...information, method };
    this.session.tokens = undefined;
    await this.persist();
  }

  /** Stored tokens, when they were obtained by the same client for the same kind of grant. */
  tokens(): OAuthTokens | undefined {
    const clientId = this.clientInformation()?.client_id;
    const { tokens, grant } = this.session;
    if (!tokens || grant !== this.options.grant || this.session.clientId !== clientId) return undefined;
    return tokens;
  }

  /** The scope the stored tokens were requested with, and when they expire (ms), if known. */
  storedTokenInfo(): { scope?: string; expiresAt?: number } {
    const { tokens, obtainedAt, scope } = this.session;
    const expiresAt =
      tokens?.expires_in !== undefined && obtainedAt !== undefined
        ? obtainedAt + tokens.expires_in * 1000
        : undefined;
    return { scope, expiresAt };
  }

  async saveTokens(tokens: OAuthTokens): Promise<void> {
    Object.assign(this.session, {
      tokens,
      obtainedAt: Date.now(),
      scope: this.scope,
      grant: this.options.grant,
      clientId: this.clientInformation()?.client_id,
    });
    await this.persist();
  }

  saveCodeVerifier(codeVerifier: string): void {
    this.verifier = codeVerifier;
  }

  codeVerifier(): string {
    if (!this.verifier) throw new Error("No PKCE code verifier for this authorization");
    return this.verifier;
  }

  async redirectToAuthorization(authorizationUrl: URL): Promise<void> {
    if (!this.options.agent) throw new Error("This sign-in method has no user agent");
    await this.options.agent(authorizationUrl);
  }

  /**
   * RFC 8707: the resource is the canonical server URL; a PRM `resource` naming anything else is
   * refused (the SDK's default accepts any path prefix). With --no-resource nothing is sent.
   */
  async validateResourceURL(serverUrl: string | URL, resource?: string): Promise<URL | undefined> {
    if (resource !== undefined && !sameResource(resource, String(serverUrl))) {
      throw new OperationError(
        "PRM_RESOURCE_MISMATCH",
        `The protected resource metadata names resource ${resource}, not this server (${this.options.server}).`,
      );
    }
    return this.options.sendResource ? new URL(this.options.server) : undefined;
  }

  /** The `resource` parameter as sent (the canonical URL verbatim), or undefined with --no-resource. */
  get resourceParameter(): string | undefined {
    return this.options.sendResource ? this.options.server : undefined;
  }

  /** The parameters of the next `fetchToken` call (a refresh), used once. */
  nextTokenRequest?: URLSearchParams;

  /**
   * The token request `fetchToken` sends: a pending refresh, else client credentials (app-only)
   * against a spec authorization server.
   */
  prepareTokenRequest(scope?: string): URLSearchParams | undefined {
    const pending = this.nextTokenRequest;
    this.nextTokenRequest = undefined;
    if (pending) return pending;
    if (this.options.grant !== "app") return undefined;
    const params = new URLSearchParams({ grant_type: "client_credentials" });
    if (scope) params.set("scope", scope);
    return params;
  }

  async invalidateCredentials(scope: "all" | "client" | "tokens" | "verifier" | "discovery"): Promise<void> {
    if (scope === "verifier" || scope === "discovery") return;
    this.session.tokens = undefined;
    if (scope !== "tokens") this.session.client = undefined;
    await this.persist();
  }

  private async persist(): Promise<void> {
    await this.options.store.save(this.session);
  }
}

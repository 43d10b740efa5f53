import {
  Client,
  type OAuthClientInformationContext,
  type OAuthClientMetadata,
  type OAuthClientProvider,
  type OAuthDiscoveryState,
  type StoredOAuthClientInformation,
  type StoredOAuthTokens,
  StreamableHTTPClientTransport,
  UnauthorizedError,
} from "@modelcontextprotocol/client";

/** The loopback redirect URI the self-checks register; nothing listens there: the AS redirects at once. */
export const REDIRECT_URI = "http://127.0.0.1:53682/callback";

/**
 * An OAuthClientProvider of the official v2 client SDK for the self-checks, with no person and no
 * browser: `redirectToAuthorization` requests the authorization URL and keeps the callback query the
 * AS redirects to. Client registrations are kept per issuer, as client-registration.mdx requires.
 */
export class HeadlessOAuthProvider implements OAuthClientProvider {
  readonly redirectUrl = REDIRECT_URI;
  /** Each authorization URL the SDK sent the "user" to. */
  readonly authorizationUrls: URL[] = [];
  /** The callback query of the last authorization response, until it is used. */
  pendingCallback?: URLSearchParams;
  private readonly registrations = new Map<string, StoredOAuthClientInformation>();
  private stored?: StoredOAuthTokens;
  private verifier = "";
  private discovery?: OAuthDiscoveryState;

  constructor(private readonly metadata: Partial<OAuthClientMetadata> = {}) {}

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: "spec-fixtures self-check",
      redirect_uris: [REDIRECT_URI],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
      ...this.metadata,
    };
  }

  clientInformation(ctx?: OAuthClientInformationContext) {
    return ctx ? this.registrations.get(ctx.issuer) : undefined;
  }
  saveClientInformation(info: StoredOAuthClientInformation, ctx?: OAuthClientInformationContext) {
    if (ctx) this.registrations.set(ctx.issuer, info);
  }
  tokens() {
    return this.stored;
  }
  saveTokens(tokens: StoredOAuthTokens) {
    this.stored = tokens;
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier;
  }
  saveDiscoveryState(state: OAuthDiscoveryState) {
    this.discovery = state;
  }
  discoveryState() {
    return this.discovery;
  }
  /** Drops tokens and cached discovery, keeping the registrations per issuer (a later run of a client). */
  forgetSession() {
    this.stored = undefined;
    this.discovery = undefined;
  }
  async redirectToAuthorization(url: URL) {
    this.authorizationUrls.push(url);
    const response = await fetch(url, { redirect: "manual" });
    const location = response.headers.get("location");
    this.pendingCallback = location ? new URL(location).searchParams : undefined;
  }
}

export interface SignedInClient {
  client: Client;
  transport: StreamableHTTPClientTransport;
  /** Runs `operation`, completing a sign-in (finishAuth with the callback) whenever the SDK asks for one. */
  run<T>(operation: (client: Client) => Promise<T>): Promise<T>;
}

/** Connects the v2 client (era negotiated) and signs in as often as the server asks, up to `attempts`. */
export async function connectSignedIn(
  url: string,
  provider: HeadlessOAuthProvider,
  attempts = 4,
): Promise<SignedInClient> {
  for (let attempt = 0; ; attempt++) {
    const transport = new StreamableHTTPClientTransport(new URL(url), { authProvider: provider });
    const client = new Client(
      { name: "spec-self-check", version: "1.0.0" },
      { versionNegotiation: { mode: "auto" } },
    );
    try {
      await client.connect(transport);
      const run = async <T>(operation: (client: Client) => Promise<T>): Promise<T> => {
        for (let retry = 0; ; retry++) {
          try {
            return await operation(client);
          } catch (error) {
            await finishSignIn(error, transport, provider, retry >= attempts);
          }
        }
      };
      return { client, transport, run };
    } catch (error) {
      await finishSignIn(error, transport, provider, attempt >= attempts);
    }
  }
}

async function finishSignIn(
  error: unknown,
  transport: StreamableHTTPClientTransport,
  provider: HeadlessOAuthProvider,
  last: boolean,
) {
  const callback = provider.pendingCallback;
  if (!(error instanceof UnauthorizedError) || !callback || last) throw error;
  provider.pendingCallback = undefined;
  await transport.finishAuth(callback);
}

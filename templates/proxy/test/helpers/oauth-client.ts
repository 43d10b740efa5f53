import { randomBytes } from "node:crypto";
import {
  Client,
  type OAuthClientMetadata,
  type OAuthClientProvider,
  type OAuthDiscoveryState,
  type StoredOAuthClientInformation,
  type StoredOAuthTokens,
  StreamableHTTPClientTransport,
  UnauthorizedError,
} from "@modelcontextprotocol/client";
import { clientOptions, type Revision } from "./revisions.js";

type Fetch = typeof fetch;

/** Where test clients say they listen: nothing does; the redirect to it is read, not followed. */
export const TEST_REDIRECT_URI = "http://127.0.0.1:8976/callback";

/**
 * Follows a browser's redirects from `start` until one goes to `stopAt` (a URL prefix), and
 * returns every URL visited (the last is the one under `stopAt`). Every hop must be a redirect:
 * the dev tenant in auto-approve mode signs in without a page.
 */
export async function followRedirects(fetch: Fetch, start: URL | string, stopAt: string): Promise<URL[]> {
  const visited = [new URL(start)];
  for (let hop = 0; hop < 6; hop++) {
    const current = visited.at(-1)!;
    if (hop > 0 && current.href.startsWith(stopAt)) return visited;
    const response = await fetch(current, { redirect: "manual" });
    const location = response.headers.get("location");
    if (response.status !== 302 || !location) {
      throw new Error(
        `${current.origin}${current.pathname} answered ${response.status}: ${await response.text()}`,
      );
    }
    visited.push(new URL(location, current));
  }
  throw new Error("Too many redirects");
}

/**
 * An MCP client's OAuth side, in memory, for tests: it registers (DCR) or uses a Client ID Metadata
 * Document URL, "opens the browser" by following redirects, and keeps what it gets.
 */
export class TestOAuthClient implements OAuthClientProvider {
  information?: StoredOAuthClientInformation;
  savedTokens?: StoredOAuthTokens;
  discovery?: OAuthDiscoveryState;
  /** The URLs of the last sign-in: the proxy, Entra, the proxy's callback, the client's redirect URI. */
  hops: URL[] = [];
  lastState?: string;
  private verifier = "";

  constructor(
    private readonly browserFetch: Fetch,
    private readonly options: {
      authMethod?: "none" | "client_secret_basic" | "client_secret_post";
      clientMetadataUrl?: string;
    } = {},
  ) {}

  get redirectUrl(): string {
    return TEST_REDIRECT_URI;
  }
  get clientMetadataUrl(): string | undefined {
    return this.options.clientMetadataUrl;
  }
  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: "proxy test client",
      redirect_uris: [TEST_REDIRECT_URI],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: this.options.authMethod ?? "none",
    };
  }
  state(): string {
    this.lastState = randomBytes(16).toString("base64url");
    return this.lastState;
  }
  clientInformation() {
    return this.information;
  }
  saveClientInformation(information: StoredOAuthClientInformation): void {
    this.information = information;
  }
  tokens() {
    return this.savedTokens;
  }
  saveTokens(tokens: StoredOAuthTokens): void {
    this.savedTokens = tokens;
  }
  saveDiscoveryState(state: OAuthDiscoveryState): void {
    this.discovery = state;
  }
  discoveryState() {
    return this.discovery;
  }
  saveCodeVerifier(verifier: string): void {
    this.verifier = verifier;
  }
  codeVerifier(): string {
    return this.verifier;
  }
  async redirectToAuthorization(url: URL): Promise<void> {
    this.hops = await followRedirects(this.browserFetch, url, TEST_REDIRECT_URI);
  }

  /**
   * The last redirect to the client (code, state, iss), after checking that it carries a code and
   * our state. The SDK checks `iss` (RFC 9207) when it redeems the code.
   */
  callback(): URLSearchParams {
    const back = this.hops.at(-1)?.searchParams;
    if (!back?.get("code"))
      throw new Error(`No code: ${back?.get("error")} ${back?.get("error_description")}`);
    if (back.get("state") !== this.lastState) throw new Error("The state came back changed");
    return back;
  }
}

/**
 * What an MCP client does: connect, get 401, discover, register or use its metadata document, sign
 * in, and connect again, speaking `revision`, with the token it got.
 */
export async function connectWithSignIn(
  url: string,
  provider: TestOAuthClient,
  revision: Revision = "2026-07-28",
): Promise<Client> {
  const client = () => new Client({ name: "proxy-test", version: "1.0.0" }, clientOptions(revision));
  const first = new StreamableHTTPClientTransport(new URL(url), { authProvider: provider });
  try {
    await client().connect(first);
  } catch (error) {
    if (!(error instanceof UnauthorizedError)) throw error;
  }
  await first.finishAuth(provider.callback());
  await first.close();
  const connected = client();
  await connected.connect(new StreamableHTTPClientTransport(new URL(url), { authProvider: provider }));
  return connected;
}

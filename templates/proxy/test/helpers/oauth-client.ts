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
import { pageText, type TestBrowser } from "./browser.js";
import { clientOptions, type Revision } from "./revisions.js";

/** Where test clients say they listen: nothing does; the redirect to it is read, not followed. */
export const TEST_REDIRECT_URI = "http://127.0.0.1:8976/callback";

/**
 * An MCP client's OAuth side, in memory, for tests: it registers (DCR) or uses a Client ID Metadata
 * Document URL, "opens the browser" (a TestBrowser, whose person answers the consent page), and keeps
 * what it gets.
 */
export class TestOAuthClient implements OAuthClientProvider {
  information?: StoredOAuthClientInformation;
  savedTokens?: StoredOAuthTokens;
  discovery?: OAuthDiscoveryState;
  /**
   * The URLs of the last sign-in: the proxy, Entra, the proxy's callback, its consent page when the
   * user was asked, and the client's redirect URI (unless the sign-in ended on a page).
   */
  hops: URL[] = [];
  lastState?: string;
  private verifier = "";

  constructor(
    readonly browser: TestBrowser,
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
    const start = this.browser.visited.length;
    const back = await this.browser.visit(url, TEST_REDIRECT_URI);
    this.hops = [...this.browser.visited.slice(start), ...(back ? [back] : [])];
  }

  /**
   * The last redirect to the client (code, state, iss), after checking that it carries a code and
   * our state. The SDK checks `iss` (RFC 9207) when it redeems the code.
   */
  callback(): URLSearchParams {
    const last = this.hops.at(-1);
    if (!last?.href.startsWith(TEST_REDIRECT_URI)) {
      throw new Error(`No code: the sign-in ended on a page: ${pageText(this.browser.page?.html ?? "")}`);
    }
    const back = last.searchParams;
    if (!back.get("code")) throw new Error(`No code: ${back.get("error")} ${back.get("error_description")}`);
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

import { randomUUID } from "node:crypto";
import type {
  OAuthClientMetadata,
  OAuthClientProvider,
  OAuthDiscoveryState,
  StoredOAuthClientInformation,
  StoredOAuthTokens,
} from "@modelcontextprotocol/client";
import type { FetchLike } from "../../src/entra/trust.js";

/**
 * An MCP client's OAuth storage and browser, in memory: the SDK's OAuth client does the protocol
 * (discovery, registration, PKCE, `resource`, `iss`, token requests); this keeps what it saves and
 * "opens the browser" by following the authorization server's redirects (the dev tenant in
 * auto-approve mode signs in without a page) up to the client's redirect URI. `clientId`: a
 * pre-registered client; without it the SDK registers one (DCR) where the server offers it.
 */
export class BrowserOAuthClient implements OAuthClientProvider {
  information?: StoredOAuthClientInformation;
  saved?: StoredOAuthTokens;
  discovery?: OAuthDiscoveryState;
  /** Every URL the browser visited in the last sign-in, the redirect to the client last. */
  visited: URL[] = [];
  private lastState = "";
  private verifier = "";

  constructor(
    private readonly browser: FetchLike,
    private readonly options: { redirectUri: string; clientId?: string },
  ) {
    if (options.clientId) this.information = { client_id: options.clientId };
  }

  get redirectUrl(): string {
    return this.options.redirectUri;
  }
  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: "mcp-entra test client",
      redirect_uris: [this.options.redirectUri],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
    };
  }
  state(): string {
    this.lastState = randomUUID();
    return this.lastState;
  }
  clientInformation() {
    return this.information;
  }
  saveClientInformation(information: StoredOAuthClientInformation): void {
    this.information = information;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: StoredOAuthTokens): void {
    this.saved = tokens;
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
    this.visited = [url];
    for (let hop = 0; hop < 8; hop++) {
      const current = this.visited.at(-1)!;
      if (hop > 0 && current.href.startsWith(this.options.redirectUri)) return;
      const response = await this.browser(current, { redirect: "manual" });
      const location = response.headers.get("location");
      if (response.status !== 302 || !location) {
        throw new Error(
          `${current.origin}${current.pathname} answered ${response.status}: ${await response.text()}`,
        );
      }
      this.visited.push(new URL(location, current));
    }
    throw new Error("Too many redirects");
  }

  /** The answer at the redirect URI (code, state, iss), once its `state` is checked. */
  callback(): URLSearchParams {
    const answer = this.visited.at(-1)?.searchParams;
    if (!answer?.get("code"))
      throw new Error(`No code: ${answer?.get("error")} ${answer?.get("error_description")}`);
    if (answer.get("state") !== this.lastState) throw new Error("The state came back changed");
    return answer;
  }
}

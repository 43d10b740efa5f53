import {
  type AccountInfo,
  type AuthenticationResult,
  type DeviceCodeRequest,
  InteractionRequiredAuthError,
  type PublicClientApplication,
} from "@azure/msal-node";
import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import { describe, SignInFailedError, SignInRequiredError } from "./sign-in-errors.js";

/** The signed-in user's tokens, signing the user in on first use. */
export interface UserSignIn {
  /**
   * An access token for the scopes, as the signed-in user: from the cache (refreshed silently when
   * needed), else from an interactive sign-in that this call starts or continues. Throws
   * SignInRequiredError while the user has yet to act, SignInFailedError when sign-in failed.
   */
  getToken(): Promise<string>;
  /** Stops a pending sign-in (on shutdown). */
  cancel(): void;
}

export interface UserSignInOptions {
  config: Pick<Config, "tenantId" | "authorityHost" | "signInMethod">;
  scopes: string[];
  log: Logger;
  /** Opens the sign-in page (method "browser"); default: the system browser, through `open`. */
  openBrowser?: (url: string) => Promise<void>;
  /** How long the call that starts a sign-in waits for it to finish before answering (default 2 s). */
  firstWaitMs?: number;
}

interface Flow {
  /** What the user has to do; known once the device code arrived or the browser was opened. */
  instructions?: string;
  outcome?: { result: AuthenticationResult } | { error: unknown };
  /** Resolves when the instructions are known or the flow has ended. */
  prompted: Promise<void>;
  ended: Promise<void>;
  /** How long later calls wait for the flow (a device code flow polls every `interval` seconds). */
  laterWaitMs: number;
  cancel(): void;
}

/** A held access token is used until this long before it expires (MSAL's own refresh margin). */
const REFRESH_MARGIN_MS = 5 * 60 * 1000;

export function createUserSignIn(app: PublicClientApplication, options: UserSignInOptions): UserSignIn {
  const { config, scopes, log } = options;
  const host = new URL(config.authorityHost).host.toLowerCase();
  let current: Flow | undefined;
  /**
   * The access token in use. Entra writes Microsoft Graph scopes short in its answers (User.Read for
   * https://graph.microsoft.com/User.Read) and MSAL looks cached tokens up by the form requested, so
   * its silent call would redeem the refresh token on every call: the token is held here until due.
   */
  let held: { token: string; expiresOn: number } | undefined;

  function hold(result: AuthenticationResult): string {
    held = result.expiresOn
      ? { token: result.accessToken, expiresOn: result.expiresOn.getTime() }
      : undefined;
    return result.accessToken;
  }

  /** This tenant's accounts in the cache; the one on this authority host first. */
  async function accounts(): Promise<AccountInfo[]> {
    const all = await app.getTokenCache().getAllAccounts();
    return all
      .filter((account) => account.tenantId.toLowerCase() === config.tenantId)
      .sort(
        (a, b) => Number(b.environment.toLowerCase() === host) - Number(a.environment.toLowerCase() === host),
      );
  }

  async function silent(): Promise<AuthenticationResult | undefined> {
    const [account] = await accounts();
    if (!account) return undefined;
    try {
      return await app.acquireTokenSilent({ account, scopes });
    } catch (error) {
      // Expired or revoked refresh token, new consent needed: sign in again.
      if (error instanceof InteractionRequiredAuthError) return undefined;
      throw new SignInFailedError(describe(error));
    }
  }

  function start(): Flow {
    let markPrompted = () => {};
    const prompted = new Promise<void>((resolve) => {
      markPrompted = resolve;
    });
    const flow: Flow = { prompted, ended: prompted, laterWaitMs: 2_000, cancel: () => {} };
    const run =
      config.signInMethod === "browser" ? browser(flow, markPrompted) : deviceCode(flow, markPrompted);
    flow.ended = run
      .then(async (result) => {
        // One signed-in user per tenant: a new sign-in replaces the previous account.
        for (const other of await accounts()) {
          if (other.homeAccountId !== result.account?.homeAccountId)
            await app.getTokenCache().removeAccount(other);
        }
        log.info("signed in", { user: result.account?.username });
        flow.outcome = { result };
      })
      .catch((error: unknown) => {
        log.warn("sign-in failed", { reason: describe(error) });
        flow.outcome = { error };
      })
      .finally(markPrompted);
    return flow;
  }

  async function deviceCode(flow: Flow, prompted: () => void): Promise<AuthenticationResult> {
    const request: DeviceCodeRequest = {
      scopes,
      deviceCodeCallback: (response) => {
        const expires = new Date(Date.now() + response.expiresIn * 1000).toISOString().slice(11, 16);
        flow.instructions = `To sign in, open ${response.verificationUri} in a browser and enter the code ${response.userCode} (valid until ${expires} UTC).`;
        flow.laterWaitMs = Math.min(response.interval * 1000 + 1_000, 20_000);
        // Entra's own message, on stderr: MCP clients show the server's stderr in their logs.
        log.warn(response.message);
        prompted();
      },
    };
    flow.cancel = () => {
      request.cancel = true;
    };
    const result = await app.acquireTokenByDeviceCode(request);
    if (!result) throw new Error("the device code flow returned no token");
    return result;
  }

  function browser(flow: Flow, prompted: () => void): Promise<AuthenticationResult> {
    const openBrowser = options.openBrowser ?? systemBrowser;
    return app.acquireTokenInteractive({
      scopes,
      openBrowser: async (url) => {
        flow.instructions = `Sign in in the browser window that opened. If none opened, or you closed it, open this address: ${url}`;
        log.warn("sign in in your browser", { url });
        prompted();
        await openBrowser(url).catch((error: unknown) =>
          log.warn("could not open a browser", {
            reason: error instanceof Error ? error.message : String(error),
          }),
        );
      },
      successTemplate: "<h1>Signed in.</h1><p>You can close this window and go back to your MCP client.</p>",
      errorTemplate: "<h1>Sign-in failed.</h1><p>{error}</p>",
    });
  }

  return {
    async getToken() {
      if (held && held.expiresOn - Date.now() > REFRESH_MARGIN_MS) return held.token;
      const cached = await silent();
      if (cached) return hold(cached);
      // A flow that ended well while nobody waited is stale (the cache had its token): start anew.
      if (current?.outcome && "result" in current.outcome) current = undefined;
      const fresh = !current;
      const flow = current ?? start();
      current = flow;
      await flow.prompted;
      if (!flow.outcome) await within(flow.ended, fresh ? (options.firstWaitMs ?? 2_000) : flow.laterWaitMs);
      if (!flow.outcome) throw new SignInRequiredError(flow.instructions ?? "Sign-in has started.");
      if (current === flow) current = undefined;
      if ("error" in flow.outcome) throw new SignInFailedError(describe(flow.outcome.error));
      return hold(flow.outcome.result);
    },
    cancel() {
      current?.cancel();
    },
  };
}

async function systemBrowser(url: string): Promise<void> {
  const { default: open } = await import("open");
  await open(url);
}

/** Waits for a promise, at most `ms`. */
async function within(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

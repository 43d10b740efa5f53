import type {
  AuthorizationServerMetadata,
  OAuthProtectedResourceMetadata,
} from "@modelcontextprotocol/sdk/shared/auth.js";
import type { Ui } from "../core/ui.js";
import type { FetchLike } from "../entra/trust.js";
import type { AuthorizationServerInfo } from "./authorization-server-kind.js";
import type { TestFlowOptions } from "./options.js";
import type { ProgressListener, ReportBuilder } from "./report/report.js";
import type { LoopbackReceiver } from "./sign-in/loopback-receiver.js";
import type { FlowOAuthProvider } from "./sign-in/oauth-provider.js";
import type { SignInChoice } from "./sign-in/sign-in-method.js";
import type { ClientIdentity } from "./steps/client-identity.js";
import type { BearerChallenge } from "./www-authenticate.js";

/** What the flow needs from outside: the terminal, the home folder, how to open a browser. */
export interface TestFlowDeps {
  ui: Ui;
  /** The mcp-entra home folder (stored sessions; the dev tenant's CA). */
  home: string;
  /** A person can take part in sign-in (stdin and stderr are terminals). */
  personPresent: boolean;
  openUrl(url: string): Promise<unknown>;
  progress?: ProgressListener & { interrupt?(text: string): void };
  clientVersion: string;
  /** The environment a stdio server (--stdio) starts with; default: this process's. */
  serverEnv?: NodeJS.ProcessEnv;
}

/** The most authorization attempts one run makes (first sign-in and step-ups together). */
export const MAX_AUTHORIZATION_ATTEMPTS = 3;

/** Everything the steps share while one flow runs. */
export interface FlowState {
  options: TestFlowOptions;
  deps: TestFlowDeps;
  report: ReportBuilder;
  fetch: FetchLike;
  signal: AbortSignal;
  /** The canonical server URL: the `resource` to send and to find in PRM. */
  resource: string;
  /** The server answered without asking for a token. */
  unprotected?: boolean;
  challenge?: BearerChallenge;
  prm?: OAuthProtectedResourceMetadata;
  as?: { info: AuthorizationServerInfo; metadata: AuthorizationServerMetadata };
  signIn?: SignInChoice;
  provider?: FlowOAuthProvider;
  identity?: ClientIdentity;
  receiver?: LoopbackReceiver;
  /** Authorization attempts so far (new sign-ins, not refreshes). */
  attempts: number;
  /** The scope of the last token request. */
  requestedScope?: string;
  accessToken?: string;
  tokenSource?: "stored" | "refreshed" | "new" | "file";
  /** The tool tools/call chose (the probes call it too). */
  tool?: { name: string; args: Record<string, unknown> };
  /** A stored sign-in existed for this server (so a person signed in here before). */
  hadStoredSession: boolean;
}

/** Tells the person something during a step (sign-in URL, device code) without garbling the spinner. */
export function notify(state: FlowState, text: string): void {
  if (state.deps.progress?.interrupt) state.deps.progress.interrupt(text);
  else state.deps.ui.tell(text);
}

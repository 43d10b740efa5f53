import type {
  AuthorizationServerMetadata,
  OAuthClientInformationMixed,
  OAuthProtectedResourceMetadata,
  OAuthTokens,
} from "@modelcontextprotocol/client";
import type { Ui } from "../core/ui.js";
import type { FetchLike } from "../entra/trust.js";
import type { AuthorizationServerInfo } from "./authorization-server-kind.js";
import type { HttpMcpSession } from "./mcp-client/http-session.js";
import type { ConnectedServer } from "./mcp-client/mcp-session.js";
import type { WireLog } from "./mcp-client/wire-log.js";
import type { TestFlowOptions } from "./options.js";
import type { ProgressListener, ReportBuilder } from "./report/report.js";
import type { LoopbackReceiver } from "./sign-in/loopback-receiver.js";
import type { SignInChoice } from "./sign-in/sign-in-method.js";
import type { StoredSignIn } from "./sign-in/stored-sign-in.js";
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

/** The MCP steps a server may refuse without a token: where the probes send theirs. */
export type McpOperation = "session" | "tools-list" | "tools-call";

/** Everything the steps share while one flow runs. */
export interface FlowState {
  options: TestFlowOptions;
  deps: TestFlowDeps;
  report: ReportBuilder;
  /** The fetch of every request (the extra CAs, the flow's deadline). */
  fetch: FetchLike;
  /** The MCP requests as sent and answered. */
  wire: WireLog;
  signal: AbortSignal;
  /** The canonical server URL. */
  resource: string;
  session: HttpMcpSession;
  /** The open session (its server, revision and capabilities), once connected. */
  connected?: ConnectedServer;
  /** The tool tools/call chose (the probes call it too). */
  tool?: { name: string; args: Record<string, unknown> };
  auth: AuthState;
}

export type ClientIdentityMethod =
  | "pre-registered"
  | "client-id-metadata-document"
  | "dynamic-registration"
  /** The jwt-bearer grant without a client id: the workload identity token is the credential. */
  | "assertion";

/** Who the client is to the authorization server (steps/client-identity.ts finds out). */
export interface ClientIdentity {
  method: ClientIdentityMethod;
  information: OAuthClientInformationMixed;
  /** How the client authenticates at the token endpoint. */
  authMethod: string;
  /** The registration was stored by an earlier run. */
  reused: boolean;
}

/** Authorization: filled in as the server asks, step by step, and read by the steps after. */
export interface AuthState {
  /** Where the server first asked for a token (none: it never did). */
  askedAt?: McpOperation;
  /** The last 401 or 403 challenge. */
  challenge?: BearerChallenge;
  prm?: {
    metadata: OAuthProtectedResourceMetadata;
    /** The RFC 8707 `resource` to send: PRM's value, unless --no-resource. */
    resourceParameter?: string;
  };
  as?: { info: AuthorizationServerInfo; metadata: AuthorizationServerMetadata };
  signIn?: SignInChoice;
  stored?: StoredSignIn;
  identity?: ClientIdentity;
  receiver?: LoopbackReceiver;
  /** Authorization attempts so far (new sign-ins, not refreshes). */
  attempts: number;
  /** The scope of the last token request. */
  requestedScope?: string;
  tokens?: OAuthTokens;
  tokenSource?: "stored" | "refreshed" | "new" | "file";
  /** A stored sign-in existed for this server (so a person signed in here before). */
  hadStoredSession: boolean;
}

/** Tells the person something during a step (sign-in URL, device code) without garbling the spinner. */
export function notify(state: FlowState, text: string): void {
  if (state.deps.progress?.interrupt) state.deps.progress.interrupt(text);
  else state.deps.ui.tell(text);
}

/** Why a new authorization happens. */
export type AuthorizationReason =
  /** The server asked for a token (its first 401). */
  | { kind: "asked" }
  /** It refused the stored token (a 401 again): sign in anew. */
  | { kind: "rejected" }
  /** 403 insufficient_scope: ask for the union of what was asked and what it challenges for. */
  | { kind: "step-up"; challenge: BearerChallenge };

import type { OAuthTokens } from "@modelcontextprotocol/client";
import { OperationError, SignInRequiredError } from "../../core/errors.js";
import { isEntraLike } from "../authorization-server-kind.js";
import { type AuthorizationReason, type FlowState, MAX_AUTHORIZATION_ATTEMPTS } from "../flow-state.js";
import { loadSdk } from "../mcp-client/sdk.js";
import { authorizationCodeStep, deviceCodeStep } from "../steps/authorization.js";
import { clientIdentityStep } from "../steps/client-identity.js";
import {
  appOnlyStep,
  deviceCodeTokenStep,
  exchangeCodeStep,
  refreshStep,
  storedTokenStep,
  tokenFileStep,
} from "../steps/token.js";
import { type ScopeChoice, selectScopes } from "./scope-selection.js";
import { chooseMethodError } from "./sign-in-method.js";

/**
 * A token for the server, after discovery: the client identity (once), then the stored token while it
 * is valid, else a refresh, else a new authorization with the chosen method (each counts toward
 * MAX_AUTHORIZATION_ATTEMPTS): the steps run in order, each handing its result to the next.
 */
export async function signIn(state: FlowState, reason: AuthorizationReason): Promise<void> {
  const { auth } = state;
  const method = auth.signIn?.method;
  if (method === "token-file") {
    if (auth.tokens) {
      throw new OperationError(
        "TOKEN_FILE_EXHAUSTED",
        "The token from --token-file was not enough, and the flow cannot ask for another.",
      );
    }
    state.report.skip("client-identity", "Not needed: --token-file brings its own token.");
    state.report.skip("authorization", "Not needed: --token-file brings its own token.");
    return keep(state, await tokenFileStep(state), undefined, "file");
  }
  const choice = await scopeChoice(state, reason);
  if (!auth.identity) await clientIdentityStep(state, choice.scope);
  if (reason.kind === "rejected") await auth.stored?.forgetTokens();
  if (reason.kind === "asked" && auth.attempts === 0 && (await useStoredTokens(state, choice))) return;
  const impossible = signInImpossible(state);
  if (impossible) {
    // Recorded as the authorization step, so the report says why and how to fix it.
    await state.report.run("authorization", async () => {
      throw impossible;
    });
  }
  auth.attempts++;
  if (method === "client-credentials") {
    state.report.skip("authorization", "Not needed: client credentials are app-only (no user signs in).");
    return keep(state, await appOnlyStep(state, choice), choice.scope, "new");
  }
  if (method === "device-code") {
    const tokens = await deviceCodeStep(state, choice, reason);
    return keep(state, await deviceCodeTokenStep(state, tokens), choice.scope, "new");
  }
  const code = await authorizationCodeStep(state, choice, reason);
  return keep(state, await exchangeCodeStep(state, code), choice.scope, "new");
}

async function keep(
  state: FlowState,
  tokens: OAuthTokens,
  scope: string | undefined,
  source: NonNullable<FlowState["auth"]["tokenSource"]>,
): Promise<void> {
  state.auth.tokens = tokens;
  state.auth.tokenSource = source;
  state.auth.requestedScope = scope;
  if (source !== "file" && source !== "stored") {
    await state.auth.stored?.saveTokens(tokens, scope, state.auth.identity?.information.client_id);
  }
}

/** Why a new sign-in cannot happen here, if it cannot. */
function signInImpossible(state: FlowState): Error | undefined {
  const { auth } = state;
  const method = auth.signIn?.method;
  if (auth.attempts >= MAX_AUTHORIZATION_ATTEMPTS) {
    return new OperationError(
      "AUTHORIZATION_LIMIT",
      `Gave up after ${auth.attempts} authorization attempts.`,
    );
  }
  if (!method) {
    if (!auth.hadStoredSession) return chooseMethodError(auth.as!.info.issuer);
    return new SignInRequiredError(
      "SIGN_IN_REQUIRED",
      "The stored sign-in can no longer be used, and signing in again needs a person.",
      {
        suggestion:
          "Run the same command on a terminal (browser sign-in), or pass --auth client-credentials or --token-file for CI.",
      },
    );
  }
  if (!state.deps.personPresent && (method === "browser" || method === "device-code")) {
    return new SignInRequiredError(
      "SIGN_IN_NEEDS_A_PERSON",
      `--auth ${method} needs a person at a terminal, and there is none.`,
      {
        suggestion:
          "In CI use --auth client-credentials or --token-file; for the dev tenant, --auth headless with auto-approve.",
      },
    );
  }
  return undefined;
}

/** The scope to ask for: MCP's order the first time; on step-up, the union with what was asked (SEP-2350). */
async function scopeChoice(state: FlowState, reason: AuthorizationReason): Promise<ScopeChoice> {
  const { as, prm, signIn: choice } = state.auth;
  const common = {
    entra: isEntraLike(as!.info.kind),
    grant: choice?.method === "client-credentials" ? "app" : "delegated",
    resource: prm!.metadata.resource.replace(/\/+$/, ""),
    asScopes: as!.metadata.scopes_supported,
  } as const;
  if (reason.kind === "step-up") {
    const { computeScopeUnion } = await loadSdk();
    const union = computeScopeUnion(state.auth.requestedScope, reason.challenge.scope);
    return { ...selectScopes({ ...common, flag: union }), source: "challenge" };
  }
  return selectScopes({
    ...common,
    flag: state.options.scope,
    challenge: state.auth.challenge?.scope,
    scopesSupported: prm!.metadata.scopes_supported,
  });
}

/** The stored token when still valid (and asked with the same scope), else its refresh; false: sign in. */
async function useStoredTokens(state: FlowState, choice: ScopeChoice): Promise<boolean> {
  const stored = state.auth.stored!;
  const tokens = stored.tokens(state.auth.identity?.information.client_id);
  if (!tokens) return false;
  const info = stored.tokenInfo();
  if ((info.scope ?? "") !== (choice.scope ?? "")) return false;
  if (info.expiresAt !== undefined && info.expiresAt - 60_000 > Date.now()) {
    state.report.skip(
      "authorization",
      "Not needed: a stored sign-in is still valid (--fresh signs in again).",
    );
    await storedTokenStep(state, tokens, info.expiresAt);
    await keep(state, tokens, choice.scope, "stored");
    return true;
  }
  if (!tokens.refresh_token) return false;
  state.report.skip("authorization", "Not needed: refreshing the stored sign-in (--fresh signs in again).");
  state.report.secret(tokens.refresh_token);
  const refreshed = await refreshStep(state, tokens.refresh_token, choice);
  if (!refreshed) {
    await stored.forgetTokens();
    return false;
  }
  await keep(state, { refresh_token: tokens.refresh_token, ...refreshed }, choice.scope, "refreshed");
  return true;
}

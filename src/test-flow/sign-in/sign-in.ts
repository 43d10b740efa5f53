import { OperationError, SignInRequiredError } from "../../core/errors.js";
import { isEntraLike } from "../authorization-server-kind.js";
import { type FlowState, MAX_AUTHORIZATION_ATTEMPTS } from "../flow-state.js";
import { resolveClientIdentity } from "../steps/client-identity.js";
import { refreshTokens } from "../steps/token.js";
import type { BearerChallenge } from "../www-authenticate.js";
import { documentRedirectUri } from "./client-metadata-document.js";
import { LoopbackReceiver } from "./loopback-receiver.js";
import { FlowOAuthProvider } from "./oauth-provider.js";
import { type ScopeChoice, selectScopes, unionScopes } from "./scope-selection.js";
import { TokenStore } from "./session-store.js";
import { chooseMethodError } from "./sign-in-method.js";
import {
  appOnlyToken,
  authorizationCodeToken,
  deviceCodeToken,
  recordTokens,
  tokenFromFile,
} from "./sign-in-methods.js";

export interface TokenRequestReason {
  /** A 403 insufficient_scope asked for more scope. */
  stepUp?: BearerChallenge;
  /** The server rejected a stored token: sign in again. */
  discardStored?: boolean;
}

/**
 * Client identity (once), then a token: the stored one while valid, else a refresh, else a new sign-in
 * with the chosen method. Every new sign-in counts toward MAX_AUTHORIZATION_ATTEMPTS.
 */
export async function acquireToken(state: FlowState, reason: TokenRequestReason = {}): Promise<void> {
  const method = state.signIn?.method;
  if (method === "token-file") {
    if (state.accessToken)
      throw new OperationError(
        "TOKEN_FILE_EXHAUSTED",
        "The token from --token-file was not enough, and the flow cannot ask for another.",
      );
    return tokenFromFile(state);
  }
  if (!state.identity) await clientIdentityStep(state);
  const provider = state.provider!;
  const choice = scopeChoice(state, reason.stepUp);
  provider.scope = choice.scope;
  if (reason.discardStored) await provider.invalidateCredentials("tokens");
  if (
    !reason.stepUp &&
    !reason.discardStored &&
    state.attempts === 0 &&
    (await useStoredTokens(state, choice))
  )
    return;
  const impossible = signInImpossible(state);
  if (impossible) {
    // Recorded as the authorization step, so the report says why and how to fix it.
    await state.report.run("authorization", async () => {
      throw impossible;
    });
  }
  state.attempts++;
  if (method === "client-credentials") return appOnlyToken(state, choice);
  if (method === "device-code") return deviceCodeToken(state, choice, reason);
  return authorizationCodeToken(state, choice, reason);
}

/** Why a new sign-in cannot happen here, if it cannot. */
function signInImpossible(state: FlowState): Error | undefined {
  const method = state.signIn?.method;
  if (state.attempts >= MAX_AUTHORIZATION_ATTEMPTS) {
    return new OperationError(
      "AUTHORIZATION_LIMIT",
      `Gave up after ${state.attempts} authorization attempts.`,
    );
  }
  if (!method) {
    if (!state.hadStoredSession) return chooseMethodError(state.as!.info.issuer);
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

function scopeChoice(state: FlowState, stepUp?: BearerChallenge): ScopeChoice {
  const entra = isEntraLike(state.as!.info.kind);
  const grant = state.signIn?.method === "client-credentials" ? "app" : "delegated";
  const common = { entra, grant, resource: state.prm!.resource.replace(/\/+$/, "") } as const;
  if (stepUp) {
    const choice = selectScopes({ ...common, flag: unionScopes(state.requestedScope, stepUp.scope) });
    return { ...choice, source: "challenge" };
  }
  return selectScopes({
    ...common,
    flag: state.options.scope,
    challenge: state.challenge?.scope,
    scopesSupported: state.prm!.scopes_supported,
  });
}

async function clientIdentityStep(state: FlowState): Promise<void> {
  const { options, report } = state;
  const method = state.signIn?.method;
  const provider = await FlowOAuthProvider.open({
    store: new TokenStore(state.deps.home),
    server: state.resource,
    authorizationServer: state.as!.info.issuer,
    fresh: options.fresh,
    grant: method === "client-credentials" ? "app" : "delegated",
    preRegistered: options.clientId
      ? { client_id: options.clientId, client_secret: options.clientSecret }
      : undefined,
    clientMetadataUrl: options.clientMetadataUrl,
    sendResource: options.resource,
  });
  state.provider = provider;
  state.hadStoredSession = Boolean(provider.tokens());
  await report.run("client-identity", async (step) => {
    if (method === "browser" || method === "headless") {
      const style = isEntraLike(state.as!.info.kind) ? "entra" : "spec";
      const cimd =
        options.clientMetadataUrl &&
        !provider.preRegistered &&
        state.as!.metadata.client_id_metadata_document_supported === true
          ? await documentRedirectUri(options.clientMetadataUrl, state.fetch, step)
          : undefined;
      state.receiver = cimd
        ? await LoopbackReceiver.startAt(cimd)
        : await LoopbackReceiver.start(provider.storedRedirectPort(), style);
      provider.redirectUri = state.receiver.redirectUri;
      step.evidence("redirect_uri", provider.redirectUri);
    }
    provider.scope = scopeChoice(state).scope;
    if (!method && !provider.preRegistered && !provider.storedRegistration()) {
      // Registering a client nobody can sign in with would only leave litter behind.
      throw chooseMethodError(state.as!.info.issuer);
    }
    const identity = await resolveClientIdentity(provider, {
      issuer: state.as!.info.issuer,
      metadata: state.as!.metadata,
      kind: state.as!.info.kind,
      fetch: state.fetch,
    });
    state.identity = identity;
    report.secret(identity.information.client_secret);
    step.evidence("method", identity.method);
    step.evidence("client_id", identity.information.client_id);
    step.evidence(
      "token_endpoint_auth_method",
      method === "client-credentials" ? appCredentialName(state) : identity.authMethod,
    );
    if (identity.method === "dynamic-registration")
      step.evidence("registration_endpoint", state.as!.metadata.registration_endpoint ?? null);
    if (identity.reused)
      step.note("Reused the registration stored by an earlier run (--fresh registers again).");
    step.summary(
      `${identity.method}${identity.reused ? " (stored)" : ""}: client_id ${identity.information.client_id}`,
    );
  });
}

function appCredentialName(state: FlowState): string {
  const { options } = state;
  const entra = isEntraLike(state.as!.info.kind);
  if (options.clientSecret)
    return entra ? "client_secret (msal-node)" : (state.identity?.authMethod ?? "client_secret");
  return options.certificateFile
    ? "private_key_jwt (certificate, msal-node)"
    : "client_assertion (federated token, msal-node)";
}

async function useStoredTokens(state: FlowState, choice: ScopeChoice): Promise<boolean> {
  const provider = state.provider!;
  const stored = provider.tokens();
  if (!stored) return false;
  const info = provider.storedTokenInfo();
  const sameScope = (info.scope ?? "") === (choice.scope ?? "");
  if (!sameScope) return false;
  if (info.expiresAt !== undefined && info.expiresAt - 60_000 > Date.now()) {
    state.report.skip(
      "authorization",
      "Not needed: a stored sign-in is still valid (--fresh signs in again).",
    );
    await state.report.run("token", async (step) => {
      step.evidence("source", "stored (0600, in the mcp-entra home folder)");
      recordTokens(state, step, stored);
      step.summary(`stored token, valid until ${new Date(info.expiresAt!).toISOString()}`);
    });
    state.requestedScope = choice.scope;
    state.tokenSource = "stored";
    return true;
  }
  if (!stored.refresh_token) return false;
  state.report.skip("authorization", "Not needed: refreshing the stored sign-in (--fresh signs in again).");
  state.report.secret(stored.refresh_token);
  return state.report.run("token", async (step) => {
    step.evidence("grant_type", "refresh_token");
    step.evidence("token_endpoint", state.as!.metadata.token_endpoint);
    step.evidence("scope", choice.scope ?? "(omitted)");
    step.evidence("resource", provider.resourceParameter ?? "not sent (--no-resource)");
    try {
      const tokens = await refreshTokens(provider, {
        issuer: state.as!.info.issuer,
        metadata: state.as!.metadata,
        resource: provider.resourceParameter,
        refreshToken: stored.refresh_token!,
        scope: choice.scope,
        fetch: state.fetch,
      });
      recordTokens(state, step, tokens);
      await provider.saveTokens(tokens);
      state.requestedScope = choice.scope;
      state.tokenSource = "refreshed";
      step.summary("refreshed the stored sign-in");
      return true;
    } catch (error) {
      step.retried(`The stored refresh token was refused (${(error as Error).message}); signing in again.`);
      await provider.invalidateCredentials("tokens");
      return false;
    }
  });
}

import { readFile } from "node:fs/promises";
import type { OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";
import { OperationError, SignInRequiredError, UsageError } from "../core/errors.js";
import { buildAuthorizationRequest } from "./authorization-request.js";
import { isEntraLike } from "./authorization-server-kind.js";
import type { BearerChallenge } from "./challenge.js";
import { resolveClientIdentity } from "./client-identity.js";
import { type FlowState, MAX_AUTHORIZATION_ATTEMPTS, notify } from "./flow-state.js";
import { FlowOAuthProvider } from "./oauth-provider.js";
import type { StepContext } from "./report.js";
import { type ScopeChoice, selectScopes, unionScopes } from "./scope-selection.js";
import { type AuthorizationAgent, browserAgent, headlessAgent } from "./sign-in/agents.js";
import { LoopbackReceiver } from "./sign-in/loopback-receiver.js";
import { msalClientCredentials, msalDeviceCode } from "./sign-in/msal.js";
import { chooseMethodError } from "./sign-in-method.js";
import { summarizeAccessToken } from "./token-claims.js";
import { clientCredentialsToken, exchangeCode, refreshTokens } from "./token-requests.js";
import { TokenStore } from "./token-store.js";

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
      state.receiver = await LoopbackReceiver.start(provider.storedRedirectPort());
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

async function authorizationCodeToken(
  state: FlowState,
  choice: ScopeChoice,
  reason: TokenRequestReason,
): Promise<void> {
  const provider = state.provider!;
  const receiver = state.receiver!;
  const { metadata, info } = state.as!;
  const headless = state.signIn?.method === "headless";
  const agent: AuthorizationAgent = headless
    ? headlessAgent(state.fetch, receiver.redirectUri)
    : browserAgent((text) => notify(state, text), state.deps.openUrl);
  const code = await state.report.run("authorization", async (step) => {
    describeRequest(state, step, choice, reason);
    const stateValue = provider.state();
    const { url, codeVerifier } = await buildAuthorizationRequest({
      issuer: info.issuer,
      metadata,
      client: state.identity!.information,
      redirectUri: receiver.redirectUri,
      scope: choice.scope,
      state: stateValue,
      resource: provider.resourceParameter,
      entra: isEntraLike(info.kind),
    });
    provider.saveCodeVerifier(codeVerifier);
    state.report.secret(codeVerifier);
    step.evidence("authorization_endpoint", metadata.authorization_endpoint);
    step.evidence("redirect_uri", receiver.redirectUri);
    step.evidence("code_challenge_method", url.searchParams.get("code_challenge_method"));
    step.evidence("user agent", headless ? "headless (redirects followed over HTTP)" : "system browser");
    const waiting = receiver.expect(stateValue, state.signal);
    waiting.catch(() => undefined);
    try {
      await agent(url);
    } catch (error) {
      receiver.cancel(error as Error);
      throw error;
    }
    const received = await waiting;
    state.report.secret(received);
    step.evidence("state", "returned unchanged");
    step.summary(`code received (${choice.scope ? `scope ${choice.scope}` : "no scope"})`);
    return received;
  });
  await state.report.run("token", async (step) => {
    step.evidence("grant_type", "authorization_code");
    step.evidence("token_endpoint", metadata.token_endpoint);
    step.evidence("client authentication", state.identity!.authMethod);
    step.evidence("resource", provider.resourceParameter ?? "not sent (--no-resource)");
    step.evidence("code_verifier", "sent (PKCE)");
    const tokens = await exchangeCode({
      issuer: info.issuer,
      metadata,
      client: state.identity!.information,
      resource: provider.resourceParameter,
      code,
      codeVerifier: provider.codeVerifier(),
      redirectUri: receiver.redirectUri,
      fetch: state.fetch,
    });
    recordTokens(state, step, tokens);
    await provider.saveTokens(tokens);
    state.requestedScope = choice.scope;
    state.tokenSource = "new";
    step.summary("authorization code exchanged");
  });
}

async function deviceCodeToken(
  state: FlowState,
  choice: ScopeChoice,
  reason: TokenRequestReason,
): Promise<void> {
  const provider = state.provider!;
  const tokens = await state.report.run("authorization", async (step) => {
    describeRequest(state, step, choice, reason);
    step.evidence("flow", "device code (msal-node)");
    const result = await msalDeviceCode(
      msalTarget(state),
      state.options.clientId!,
      scopesFor(choice),
      (text) => notify(state, text),
    );
    step.summary("signed in with a device code");
    return result;
  });
  await state.report.run("token", async (step) => {
    step.evidence("grant_type", "urn:ietf:params:oauth:grant-type:device_code (msal-node)");
    step.evidence("resource", provider.resourceParameter ?? "not sent (--no-resource)");
    recordTokens(state, step, tokens);
    await provider.saveTokens(tokens);
    state.requestedScope = choice.scope;
    state.tokenSource = "new";
    step.summary("device code redeemed");
  });
}

async function appOnlyToken(state: FlowState, choice: ScopeChoice): Promise<void> {
  const provider = state.provider!;
  const { info, metadata } = state.as!;
  state.report.skip("authorization", "Not needed: client credentials are app-only (no user signs in).");
  await state.report.run("token", async (step) => {
    step.evidence("grant_type", "client_credentials");
    step.evidence("token_endpoint", metadata.token_endpoint);
    step.evidence("scope", choice.scope ?? "(omitted)");
    step.evidence("scope source", choice.source);
    for (const note of choice.notes) step.note(note);
    step.evidence("resource", provider.resourceParameter ?? "not sent (--no-resource)");
    let tokens: OAuthTokens;
    if (isEntraLike(info.kind)) {
      const { options } = state;
      state.report.secret(
        options.federatedTokenFile
          ? await readFile(options.federatedTokenFile, "utf8")
              .then((text) => text.trim())
              .catch(() => undefined)
          : undefined,
      );
      const result = await msalClientCredentials(
        msalTarget(state),
        {
          clientId: options.clientId!,
          clientSecret: options.clientSecret,
          certificateFile: options.certificateFile,
          federatedTokenFile: options.federatedTokenFile,
        },
        scopesFor(choice),
      );
      step.evidence("credential", `${result.credential} (msal-node)`);
      tokens = result.tokens;
    } else {
      tokens = await clientCredentialsToken(provider, {
        issuer: info.issuer,
        metadata,
        resource: provider.resourceParameter,
        fetch: state.fetch,
      });
      step.evidence("credential", `client secret (${state.identity!.authMethod})`);
    }
    recordTokens(state, step, tokens);
    await provider.saveTokens(tokens);
    state.requestedScope = choice.scope;
    state.tokenSource = "new";
    step.summary(`app-only token for ${choice.scope ?? "the default scope"}`);
  });
}

async function tokenFromFile(state: FlowState): Promise<void> {
  const file = state.options.tokenFile!;
  state.report.skip("client-identity", "Not needed: --token-file brings its own token.");
  state.report.skip("authorization", "Not needed: --token-file brings its own token.");
  await state.report.run("token", async (step) => {
    const token = await readFile(file, "utf8")
      .then((text) => text.trim())
      .catch((error: Error) => {
        throw new UsageError(
          "TOKEN_FILE_UNREADABLE",
          `--token-file: cannot read ${file} (${error.message}).`,
          {
            suggestion: "Pass a file that holds one access token.",
          },
        );
      });
    if (!token)
      throw new UsageError("TOKEN_FILE_EMPTY", `--token-file: ${file} is empty.`, {
        suggestion: "Pass a file that holds one access token.",
      });
    step.evidence("source", `--token-file ${file}`);
    recordTokens(state, step, { access_token: token, token_type: "Bearer" });
    state.tokenSource = "file";
    step.summary("token read from file");
  });
}

function describeRequest(
  state: FlowState,
  step: StepContext,
  choice: ScopeChoice,
  reason: TokenRequestReason,
): void {
  if (reason.stepUp)
    step.note(
      `Step-up: the server answered 403 insufficient_scope${reason.stepUp.scope ? ` and asked for "${reason.stepUp.scope}"` : ""}.`,
    );
  if (reason.discardStored) step.note("The server rejected the stored token: signing in again.");
  step.evidence("client_id", state.identity!.information.client_id);
  step.evidence("scope", choice.scope ?? "(omitted)");
  step.evidence("scope source", choice.source);
  step.evidence("resource", state.provider!.resourceParameter ?? "not sent (--no-resource)");
  step.evidence("attempt", `${state.attempts} of at most ${MAX_AUTHORIZATION_ATTEMPTS}`);
  for (const note of choice.notes) step.note(note);
}

function recordTokens(state: FlowState, step: StepContext, tokens: OAuthTokens): void {
  state.report.secret(tokens.access_token);
  state.report.secret(tokens.refresh_token);
  state.report.secret(tokens.id_token);
  state.accessToken = tokens.access_token;
  step.evidence("token", summarizeAccessToken(tokens.access_token));
  if (tokens.scope !== undefined) step.evidence("granted scope", tokens.scope);
  if (tokens.expires_in !== undefined) step.evidence("expires_in", tokens.expires_in);
  step.evidence("refresh token", Boolean(tokens.refresh_token));
}

function msalTarget(state: FlowState) {
  return {
    authority: state.as!.info.authority!,
    fetch: state.fetch,
    resource: state.provider!.resourceParameter,
    timeoutMs: state.options.timeout * 1000,
  };
}

function scopesFor(choice: ScopeChoice): string[] {
  return (choice.scope ?? "").split(" ").filter(Boolean);
}

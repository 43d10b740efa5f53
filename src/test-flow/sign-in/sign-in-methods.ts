import { readFile } from "node:fs/promises";
import type { OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";
import { UsageError } from "../../core/errors.js";
import { isEntraLike } from "../authorization-server-kind.js";
import { type FlowState, MAX_AUTHORIZATION_ATTEMPTS, notify } from "../flow-state.js";
import type { StepContext } from "../report/report.js";
import { buildAuthorizationRequest } from "../steps/authorization.js";
import { clientCredentialsToken, exchangeCode } from "../steps/token.js";
import { summarizeAccessToken } from "../token-claims.js";
import { type AuthorizationAgent, browserAgent } from "./browser-agent.js";
import { headlessAgent } from "./headless-agent.js";
import { msalClientCredentials, msalDeviceCode } from "./msal.js";
import type { ScopeChoice } from "./scope-selection.js";
import type { TokenRequestReason } from "./sign-in.js";

/**
 * New sign-ins, one function per method: authorization code (browser or headless user agent, PKCE,
 * state, loopback redirect), device code and client credentials (msal-node for Entra and the dev
 * tenant), and a token brought in a file. Each records its authorization and token steps.
 */
export async function authorizationCodeToken(
  state: FlowState,
  choice: ScopeChoice,
  reason: TokenRequestReason,
): Promise<void> {
  const provider = state.provider!;
  const receiver = state.receiver!;
  const { metadata, info } = state.as!;
  const headless = state.signIn?.method === "headless";
  const agent: AuthorizationAgent = headless
    ? headlessAgent(state.fetch, (url) => receiver.isRedirect(url))
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

export async function deviceCodeToken(
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

export async function appOnlyToken(state: FlowState, choice: ScopeChoice): Promise<void> {
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

export async function tokenFromFile(state: FlowState): Promise<void> {
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

export function recordTokens(state: FlowState, step: StepContext, tokens: OAuthTokens): void {
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

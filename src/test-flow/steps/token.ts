import { readFile } from "node:fs/promises";
import type { OAuthTokens } from "@modelcontextprotocol/client";
import { OperationError, UsageError } from "../../core/errors.js";
import {
  describePropagationWait,
  propagationWaitOf,
  retryWhilePropagating,
} from "../../entra/propagation-retry.js";
import { isEntraLike } from "../authorization-server-kind.js";
import { type FlowState, notify } from "../flow-state.js";
import { loadSdk } from "../mcp-client/sdk.js";
import type { StepContext } from "../report/report.js";
import { appOnlyTokens } from "../sign-in/app-credentials.js";
import { clientAuthentication } from "../sign-in/client-authentication.js";
import { tidyErrorDescription } from "../sign-in/error-description.js";
import { msalClientCredentials } from "../sign-in/msal.js";
import type { ScopeChoice } from "../sign-in/scope-selection.js";
import { summarizeAccessToken } from "../token-claims.js";
import type { AuthorizationCode } from "./authorization.js";

/**
 * The token step, one function per way to a token: the code exchange and the refresh (the SDK's
 * `exchangeAuthorization` and `refreshAuthorization`: client authentication as negotiated, `resource`),
 * client credentials (msal-node for Entra and the dev tenant, the SDK's providers elsewhere), a token
 * brought in a file, and one stored by an earlier run. Each returns the tokens; the caller keeps them.
 */
export async function exchangeCodeStep(
  state: FlowState,
  authorization: AuthorizationCode,
): Promise<OAuthTokens> {
  const { metadata, info } = state.auth.as!;
  const identity = state.auth.identity!;
  return state.report.run("token", async (step) => {
    step.evidence("grant_type", "authorization_code");
    step.evidence("token_endpoint", metadata.token_endpoint);
    step.evidence("client authentication", identity.authMethod);
    step.evidence("resource", resourceEvidence(state));
    step.evidence("code_verifier", "sent (PKCE)");
    const { exchangeAuthorization } = await loadSdk();
    const tokens = await asFlowError("token request", () =>
      exchangeAuthorization(info.issuer, {
        metadata,
        clientInformation: identity.information,
        authorizationCode: authorization.code,
        iss: authorization.iss,
        codeVerifier: authorization.codeVerifier,
        redirectUri: authorization.redirectUri,
        resource: state.auth.prm?.resourceParameter,
        addClientAuthentication: clientAuthentication(identity.information, identity.authMethod),
        fetchFn: state.fetch,
      }),
    );
    recordTokens(state, step, tokens);
    step.summary("authorization code exchanged");
    return tokens;
  });
}

/** The tokens of a device code sign-in (msal-node redeemed the code during the authorization step). */
export async function deviceCodeTokenStep(state: FlowState, tokens: OAuthTokens): Promise<OAuthTokens> {
  return state.report.run("token", async (step) => {
    step.evidence("grant_type", "urn:ietf:params:oauth:grant-type:device_code (msal-node)");
    step.evidence("resource", resourceEvidence(state));
    recordTokens(state, step, tokens);
    step.summary("device code redeemed");
    return tokens;
  });
}

/** A refresh of the stored sign-in, with `scope` (Entra's v2 endpoint needs it) and `resource`. */
export async function refreshStep(
  state: FlowState,
  refreshToken: string,
  choice: ScopeChoice,
): Promise<OAuthTokens | undefined> {
  const { metadata, info } = state.auth.as!;
  return state.report.run("token", async (step): Promise<OAuthTokens | undefined> => {
    step.evidence("grant_type", "refresh_token");
    step.evidence("token_endpoint", metadata.token_endpoint);
    step.evidence("scope", choice.scope ?? "(omitted)");
    step.evidence("resource", resourceEvidence(state));
    const { refreshAuthorization } = await loadSdk();
    const tokens = await asFlowError("refresh", () =>
      refreshAuthorization(info.issuer, {
        metadata,
        clientInformation: state.auth.identity!.information,
        addClientAuthentication: clientAuthentication(
          state.auth.identity!.information,
          state.auth.identity!.authMethod,
        ),
        refreshToken,
        scope: choice.scope,
        resource: state.auth.prm?.resourceParameter,
        fetchFn: state.fetch,
      }),
    ).catch((error: Error) => {
      step.retried(`The stored refresh token was refused (${error.message}); signing in again.`);
      return undefined;
    });
    if (!tokens) return undefined;
    recordTokens(state, step, tokens);
    step.summary("refreshed the stored sign-in");
    return tokens;
  });
}

/** A stored token that is still valid (no request). */
export async function storedTokenStep(
  state: FlowState,
  tokens: OAuthTokens,
  expiresAt: number,
): Promise<void> {
  await state.report.run("token", async (step) => {
    step.evidence("source", "stored (0600, in the mcp-entra home folder)");
    recordTokens(state, step, tokens);
    step.summary(`stored token, valid until ${new Date(expiresAt).toISOString()}`);
  });
}

/** Client credentials (app-only): msal-node for Entra and the dev tenant, the SDK's providers elsewhere. */
export async function appOnlyStep(state: FlowState, choice: ScopeChoice): Promise<OAuthTokens> {
  const { info, metadata } = state.auth.as!;
  const { options } = state;
  return state.report.run("token", async (step) => {
    step.evidence("token_endpoint", metadata.token_endpoint);
    step.evidence("scope", choice.scope ?? "(omitted)");
    step.evidence("scope source", choice.source);
    for (const note of choice.notes) step.note(note);
    step.evidence("resource", resourceEvidence(state));
    const credentials = {
      clientId: options.clientId ?? "",
      clientSecret: options.clientSecret,
      certificateFile: options.certificateFile,
      privateKeyFile: options.privateKeyFile,
      federatedTokenFile: options.federatedTokenFile,
    };
    if (options.federatedTokenFile) {
      state.report.secret(
        await readFile(options.federatedTokenFile, "utf8").then(
          (text) => text.trim(),
          () => undefined,
        ),
      );
    }
    const request = () =>
      isEntraLike(info.kind)
        ? msalClientCredentials(
            {
              authority: info.authority!,
              fetch: state.fetch,
              resource: state.auth.prm?.resourceParameter,
              timeoutMs: options.timeout * 1000,
            },
            credentials,
            (choice.scope ?? "").split(" ").filter(Boolean),
          )
        : asFlowError("client credentials token request", () =>
            appOnlyTokens({
              issuer: info.issuer,
              metadata,
              credentials,
              authMethod: options.tokenEndpointAuthMethod,
              scope: choice.scope,
              resource: state.auth.prm?.resourceParameter,
              fetch: state.fetch,
            }),
          );
    const result = await withPropagationRetry(state, step, request, options.propagationWait * 1000);
    step.evidence("grant_type", result.grantType);
    step.evidence("credential", result.credential);
    recordTokens(state, step, result.tokens);
    step.summary(`app-only token for ${choice.scope ?? "the default scope"}`);
    return result.tokens;
  });
}

/** --token-file: the token is read, not requested. */
export async function tokenFileStep(state: FlowState): Promise<OAuthTokens> {
  const file = state.options.tokenFile!;
  return state.report.run("token", async (step) => {
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
    const tokens = { access_token: token, token_type: "Bearer" };
    recordTokens(state, step, tokens);
    step.summary("token read from file");
    return tokens;
  });
}

export function recordTokens(state: FlowState, step: StepContext, tokens: OAuthTokens): void {
  state.report.secret(tokens.access_token);
  state.report.secret(tokens.refresh_token);
  state.report.secret(tokens.id_token);
  step.evidence("token", summarizeAccessToken(tokens.access_token));
  if (tokens.scope !== undefined) step.evidence("granted scope", tokens.scope);
  if (tokens.expires_in !== undefined) step.evidence("expires_in", tokens.expires_in);
  step.evidence("refresh token", Boolean(tokens.refresh_token));
}

function resourceEvidence(state: FlowState): string {
  return state.auth.prm?.resourceParameter ?? "not sent (--no-resource)";
}

/** The SDK's OAuth errors as flow failures that keep the server's error code and description. */
export async function asFlowError<T>(what: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    if (error instanceof OperationError || error instanceof UsageError) throw error;
    const { OAuthError } = await loadSdk();
    const detail =
      error instanceof OAuthError
        ? `${error.code}${error.message ? `: ${tidyErrorDescription(error.message)}` : ""}`
        : (error as Error).message;
    throw new OperationError("TOKEN_REQUEST_FAILED", `The ${what} failed: ${detail}`, { cause: error });
  }
}

/**
 * A credential or grant written moments ago (register, then test-flow at once, as CI does) is refused
 * until Entra has propagated it: retried, bounded by --propagation-wait, and the wait is reported.
 * The person is told once, when the waiting starts, so a wrong secret does not look like a hang.
 */
async function withPropagationRetry<T>(
  state: FlowState,
  step: StepContext,
  request: () => Promise<T>,
  maxWaitMs: number,
): Promise<T> {
  const onWait = ({ code, retry }: { code: number; retry: number }) => {
    if (retry !== 1) return;
    notify(
      state,
      `Entra refused the credential with AADSTS${code}; a credential or grant written moments ago takes seconds to a minute to reach its token service. Retrying for up to ${Math.round(maxWaitMs / 1000)} s (--propagation-wait 0 to stop at once).`,
    );
  };
  try {
    const { value, wait } = await retryWhilePropagating(request, { maxWaitMs, onWait });
    if (wait) {
      step.evidence("propagation wait", `${Math.round(wait.waitedMs / 1000)} s`);
      step.note(describePropagationWait(wait));
    }
    return value;
  } catch (error) {
    const wait = propagationWaitOf(error);
    if (wait) {
      step.evidence("propagation wait", `${Math.round(wait.waitedMs / 1000)} s`);
      step.note(
        `${describePropagationWait(wait)}; it still failed after --propagation-wait ${Math.round(maxWaitMs / 1000)} s`,
      );
    }
    throw error;
  }
}

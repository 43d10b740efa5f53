import type { AuthorizationServerMetadata, OAuthTokens } from "@modelcontextprotocol/client";
import { OperationError } from "../../core/errors.js";
import { isEntraLike } from "../authorization-server-kind.js";
import {
  type AuthorizationReason,
  type FlowState,
  MAX_AUTHORIZATION_ATTEMPTS,
  notify,
} from "../flow-state.js";
import { loadSdk } from "../mcp-client/sdk.js";
import type { StepContext } from "../report/report.js";
import { type AuthorizationAgent, browserAgent } from "../sign-in/browser-agent.js";
import { headlessAgent } from "../sign-in/headless-agent.js";
import { msalDeviceCode } from "../sign-in/msal.js";
import { randomState } from "../sign-in/random-state.js";
import type { ScopeChoice } from "../sign-in/scope-selection.js";

/**
 * PKCE policy. The spec says: use S256, and refuse an authorization server whose metadata lacks
 * code_challenge_methods_supported. Entra supports S256 but omits it, so for Entra (and the dev tenant)
 * an absent list is a note (S256 is used anyway) unless --strict; elsewhere it is refused; a list
 * without S256 is always refused.
 */
export function checkPkceSupport(
  metadata: AuthorizationServerMetadata,
  { strict, entra }: { strict: boolean; entra: boolean },
): string | undefined {
  const methods = metadata.code_challenge_methods_supported;
  if (methods?.includes("S256")) return undefined;
  if (methods) {
    throw new OperationError(
      "PKCE_S256_UNSUPPORTED",
      `The authorization server supports PKCE methods ${methods.join(", ") || "(none)"}, not S256.`,
      { suggestion: "MCP clients must use PKCE with S256: the authorization server has to support it." },
    );
  }
  if (strict || !entra) {
    throw new OperationError(
      "PKCE_NOT_ADVERTISED",
      `The authorization server metadata has no code_challenge_methods_supported: MCP clients must refuse to proceed${strict ? " (--strict)" : ""}.`,
      {
        suggestion: entra
          ? "Entra omits it while supporting S256: run without --strict to proceed with S256."
          : 'Publish code_challenge_methods_supported: ["S256"] in the authorization server metadata.',
      },
    );
  }
  return "code_challenge_methods_supported is absent (as on Entra): proceeding with PKCE S256 anyway.";
}

/** An authorization code, with what its exchange needs. */
export interface AuthorizationCode {
  code: string;
  /** The RFC 9207 `iss` of the response, when it had one (already checked). */
  iss?: string;
  codeVerifier: string;
  redirectUri: string;
}

/**
 * The authorization step of a code flow: the request built by the SDK (`startAuthorization`: PKCE
 * S256, state, scope, resource), a user agent (browser or headless) to the authorization endpoint, and
 * the response on the loopback redirect URI: `state` (the receiver) then `iss` (RFC 9207, the SDK's
 * exact comparison) are checked before anything else of it is read.
 */
export async function authorizationCodeStep(
  state: FlowState,
  choice: ScopeChoice,
  reason: AuthorizationReason,
): Promise<AuthorizationCode> {
  const receiver = state.auth.receiver!;
  const { metadata, info } = state.auth.as!;
  const headless = state.auth.signIn?.method === "headless";
  const consented: string[] = [];
  const consent = {
    clientId: state.auth.identity!.information.client_id,
    allowed: (text: string) => consented.push(text),
  };
  const agent: AuthorizationAgent = headless
    ? headlessAgent(state.fetch, (url) => receiver.isRedirect(url), consent)
    : browserAgent((text) => notify(state, text), state.deps.openUrl);
  return state.report.run("authorization", async (step) => {
    describeRequest(state, step, choice, reason);
    const sdk = await loadSdk();
    const stateValue = randomState();
    const { authorizationUrl: url, codeVerifier } = await sdk.startAuthorization(info.issuer, {
      metadata,
      clientInformation: state.auth.identity!.information,
      redirectUrl: receiver.redirectUri,
      scope: choice.scope,
      state: stateValue,
      resource: state.auth.prm?.resourceParameter,
    });
    // Entra: no prompt=consent (AADSTS90094 with offline_access in locked-down tenants).
    if (isEntraLike(info.kind)) url.searchParams.delete("prompt");
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
    } finally {
      // The headless agent answered the server's consent page for the user: said plainly in the report.
      for (const text of consented) step.note(`The headless agent ${text}.`);
    }
    const params = await waiting;
    state.report.secret(params.get("code") ?? undefined);
    step.evidence("state", "returned unchanged");
    const iss = params.get("iss") ?? undefined;
    checkIssuer(step, metadata, iss, sdk);
    const error = params.get("error");
    const code = params.get("code");
    if (error || !code) {
      const description = params.get("error_description") ?? "";
      throw new OperationError(
        "AUTHORIZATION_DENIED",
        `The authorization server answered ${error ?? "without a code"}${description ? `: ${description}` : ""}`,
      );
    }
    step.summary(`code received (${choice.scope ? `scope ${choice.scope}` : "no scope"})`);
    return { code, iss, codeVerifier, redirectUri: receiver.redirectUri };
  });
}

/**
 * RFC 9207 §2.4 as MCP 2026-07-28 applies it: a present `iss` must be the issuer, by simple string
 * comparison, advertised or not; an absent one is refused when the metadata advertises
 * authorization_response_iss_parameter_supported. On a mismatch nothing else of the response is shown.
 */
function checkIssuer(
  step: StepContext,
  metadata: AuthorizationServerMetadata,
  iss: string | undefined,
  sdk: Awaited<ReturnType<typeof loadSdk>>,
): void {
  const advertised = metadata.authorization_response_iss_parameter_supported === true;
  try {
    sdk.validateAuthorizationResponseIssuer({
      iss,
      expectedIssuer: metadata.issuer,
      issParameterSupported: advertised,
    });
  } catch (error) {
    if (!(error instanceof sdk.IssuerMismatchError)) throw error;
    step.evidence("iss", iss === undefined ? "absent" : JSON.stringify(iss));
    throw new OperationError(
      iss === undefined ? "ISS_MISSING" : "ISS_MISMATCH",
      iss === undefined
        ? `The authorization response has no iss, and the authorization server advertises authorization_response_iss_parameter_supported: refused (RFC 9207). Its other parameters are not shown.`
        : `The authorization response's iss ${JSON.stringify(iss)} is not the issuer ${JSON.stringify(metadata.issuer)} (compared as strings, nothing normalised): refused as a possible mix-up attack (RFC 9207). Its other parameters are not shown.`,
      {
        suggestion:
          "The authorization server must return iss equal, character for character, to the issuer in its metadata.",
      },
    );
  }
  step.evidence(
    "iss",
    iss === undefined ? `absent (${advertised ? "advertised" : "not advertised"})` : "the issuer, exactly",
  );
}

/** Entra and the dev tenant: the device code flow through msal-node (its authorization and token). */
export async function deviceCodeStep(
  state: FlowState,
  choice: ScopeChoice,
  reason: AuthorizationReason,
): Promise<OAuthTokens> {
  return state.report.run("authorization", async (step) => {
    describeRequest(state, step, choice, reason);
    step.evidence("flow", "device code (msal-node)");
    const result = await msalDeviceCode(
      {
        authority: state.auth.as!.info.authority!,
        fetch: state.fetch,
        resource: state.auth.prm?.resourceParameter,
        timeoutMs: state.options.timeout * 1000,
      },
      state.options.clientId!,
      (choice.scope ?? "").split(" ").filter(Boolean),
      (text) => notify(state, text),
    );
    step.summary("signed in with a device code");
    return result;
  });
}

function describeRequest(
  state: FlowState,
  step: StepContext,
  choice: ScopeChoice,
  reason: AuthorizationReason,
): void {
  if (reason.kind === "step-up") {
    step.note(
      `Step-up: the server answered 403 insufficient_scope${reason.challenge.scope ? ` and asked for "${reason.challenge.scope}"` : ""}: asking for the union with the scope asked before.`,
    );
  }
  if (reason.kind === "rejected") step.note("The server rejected the stored token: signing in again.");
  step.evidence("client_id", state.auth.identity!.information.client_id);
  step.evidence("scope", choice.scope ?? "(omitted)");
  step.evidence("scope source", choice.source);
  step.evidence("resource", state.auth.prm?.resourceParameter ?? "not sent (--no-resource)");
  step.evidence("attempt", `${state.auth.attempts} of at most ${MAX_AUTHORIZATION_ATTEMPTS}`);
  for (const note of choice.notes) step.note(note);
}

import type { OAuthClientInformationMixed, OAuthClientMetadata } from "@modelcontextprotocol/client";
import { OperationError, UsageError } from "../../core/errors.js";
import { isEntraLike } from "../authorization-server-kind.js";
import type { ClientIdentity, ClientIdentityMethod, FlowState } from "../flow-state.js";
import { loadSdk } from "../mcp-client/sdk.js";
import type { StepContext } from "../report/report.js";
import { documentRedirectUri } from "../sign-in/client-metadata-document.js";
import { LoopbackReceiver } from "../sign-in/loopback-receiver.js";
import { TokenStore } from "../sign-in/session-store.js";
import { chooseMethodError } from "../sign-in/sign-in-method.js";
import { StoredSignIn } from "../sign-in/stored-sign-in.js";

/**
 * Step 4: who the client is, in the spec's order: pre-registered credentials (--client-id); a
 * registration an earlier run made with this same authorization server; a Client ID Metadata Document
 * (--client-metadata-url) when the server supports them; Dynamic Client Registration (the SDK's
 * `registerClient`, with `application_type`) when it has a registration endpoint; else the user must
 * say. Registrations are stored per authorization server: when PRM names another, the flow registers there.
 */
export async function clientIdentityStep(state: FlowState, scope: string | undefined): Promise<void> {
  const { options, report } = state;
  const { as, signIn } = state.auth;
  const method = signIn?.method;
  const store = new TokenStore(state.deps.home);
  const stored = await StoredSignIn.open({
    store,
    server: state.resource,
    authorizationServer: as!.info.issuer,
    fresh: options.fresh,
    grant: method === "client-credentials" ? "app" : "delegated",
  });
  state.auth.stored = stored;
  await report.run("client-identity", async (step) => {
    const movedFrom = await store.otherAuthorizationServers(state.resource, as!.info.issuer);
    if (movedFrom.length > 0 && !options.clientId) {
      step.note(
        `This server's sign-ins were stored for ${movedFrom.join(", ")}; PRM now names ${as!.info.issuer}: registrations are never reused across authorization servers (SEP-2352).`,
      );
    }
    let redirectUri: string | undefined;
    if (method === "browser" || method === "headless") redirectUri = await startReceiver(state, stored, step);
    if (!method && !options.clientId && !stored.registration()) {
      // Registering a client nobody can sign in with would only leave litter behind.
      throw chooseMethodError(as!.info.issuer);
    }
    const identity = await resolveIdentity(state, stored, { redirectUri, scope }, step);
    state.auth.identity = identity;
    state.auth.hadStoredSession = Boolean(stored.tokens(identity.information.client_id));
    report.secret(identity.information.client_secret);
    step.evidence("method", identity.method);
    step.evidence("client_id", identity.information.client_id || "(none: the assertion names the workload)");
    step.evidence(
      "token_endpoint_auth_method",
      method === "client-credentials" ? appCredentialName(state) : identity.authMethod,
    );
    if (identity.reused)
      step.note("Reused the registration stored by an earlier run (--fresh registers again).");
    step.summary(
      `${identity.method}${identity.reused ? " (stored)" : ""}: client_id ${identity.information.client_id}`,
    );
  });
}

async function startReceiver(state: FlowState, stored: StoredSignIn, step: StepContext): Promise<string> {
  const { options } = state;
  const { as } = state.auth;
  const cimd =
    options.clientMetadataUrl &&
    !options.clientId &&
    as!.metadata.client_id_metadata_document_supported === true
      ? await documentRedirectUri(options.clientMetadataUrl, state.fetch, step)
      : undefined;
  const style = isEntraLike(as!.info.kind) ? "entra" : "spec";
  state.auth.receiver = cimd
    ? await LoopbackReceiver.startAt(cimd)
    : await LoopbackReceiver.start(stored.redirectPort(), style);
  step.evidence("redirect_uri", state.auth.receiver.redirectUri);
  return state.auth.receiver.redirectUri;
}

async function resolveIdentity(
  state: FlowState,
  stored: StoredSignIn,
  { redirectUri, scope }: { redirectUri?: string; scope?: string },
  step: StepContext,
): Promise<ClientIdentity> {
  const sdk = await loadSdk();
  const { options } = state;
  const { issuer } = state.auth.as!.info;
  const metadata = state.auth.as!.metadata;
  const supported = metadata.token_endpoint_auth_methods_supported ?? [];
  const identity = (
    method: ClientIdentityMethod,
    information: OAuthClientInformationMixed,
    reused = false,
  ) => ({
    method,
    information,
    authMethod: sdk.selectClientAuthMethod(information, supported),
    reused,
  });
  if (options.clientId) {
    const information = { client_id: options.clientId, client_secret: options.clientSecret };
    const method = options.tokenEndpointAuthMethod;
    return method && options.clientSecret
      ? { method: "pre-registered", information, authMethod: method, reused: false }
      : identity("pre-registered", information);
  }
  if (state.auth.signIn?.method === "client-credentials" && options.federatedTokenFile) {
    return { method: "assertion", information: { client_id: "" }, authMethod: "none", reused: false };
  }
  const cimdSupported = metadata.client_id_metadata_document_supported === true;
  const registration = stored.registration();
  const usable =
    registration &&
    (registration.method === "client-id-metadata-document"
      ? registration.client_id === options.clientMetadataUrl
      : !redirectUri || registeredRedirects(registration).includes(redirectUri));
  if (registration && usable) return identity(registration.method, registration, true);
  if (options.clientMetadataUrl && cimdSupported) {
    const saved = await stored.saveRegistration(
      { client_id: options.clientMetadataUrl },
      "client-id-metadata-document",
    );
    return identity("client-id-metadata-document", saved);
  }
  if (cimdSupported) {
    step.note(
      "The authorization server supports Client ID Metadata Documents, which the spec prefers to Dynamic Client Registration: pass --client-metadata-url <https URL of your client's document> to use one.",
    );
  }
  if (metadata.registration_endpoint) {
    const clientMetadata = sdk.resolveClientMetadata({
      clientMetadata: dcrMetadata(redirectUri),
      redirectUrl: redirectUri,
    });
    step.evidence("registration_endpoint", metadata.registration_endpoint);
    step.evidence("application_type", clientMetadata.application_type ?? null);
    let registered: OAuthClientInformationMixed;
    try {
      registered = await sdk.registerClient(issuer, {
        metadata,
        clientMetadata,
        scope,
        fetchFn: state.fetch,
      });
    } catch (error) {
      const body =
        error instanceof sdk.RegistrationRejectedError
          ? `: HTTP ${error.status} ${error.body.slice(0, 300)}`
          : `: ${(error as Error).message}`;
      throw new OperationError("DCR_FAILED", `Dynamic client registration failed${body}`, { cause: error });
    }
    const saved = await stored.saveRegistration(registered, "dynamic-registration");
    return identity("dynamic-registration", saved);
  }
  throw noClientIdentity(state, Boolean(options.clientMetadataUrl));
}

function dcrMetadata(redirectUri: string | undefined): OAuthClientMetadata {
  return {
    client_name: "mcp-entra test-flow",
    redirect_uris: redirectUri ? [redirectUri] : [],
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    token_endpoint_auth_method: "none",
  };
}

function registeredRedirects(registration: OAuthClientInformationMixed): string[] {
  return "redirect_uris" in registration ? ((registration.redirect_uris as string[] | undefined) ?? []) : [];
}

function appCredentialName(state: FlowState): string {
  const { options } = state;
  const entra = isEntraLike(state.auth.as!.info.kind);
  if (options.clientSecret)
    return entra ? "client_secret (msal-node)" : (state.auth.identity?.authMethod ?? "client_secret");
  if (options.certificateFile) return "private_key_jwt (certificate, msal-node)";
  if (options.privateKeyFile) return "private_key_jwt";
  return entra
    ? "client_assertion (federated token, msal-node)"
    : "the workload identity token (jwt-bearer grant)";
}

function noClientIdentity(state: FlowState, hadCimdUrl: boolean): UsageError {
  const { info } = state.auth.as!;
  const reasons = [
    "no --client-id was given",
    hadCimdUrl
      ? "the authorization server does not advertise client_id_metadata_document_supported"
      : "no --client-metadata-url was given (or the authorization server does not support Client ID Metadata Documents)",
    "the authorization server has no registration_endpoint",
  ];
  return new UsageError(
    "NO_CLIENT_IDENTITY",
    `No client identity for ${info.issuer}: ${reasons.join("; ")}.`,
    {
      suggestion: isEntraLike(info.kind)
        ? "Entra has no dynamic registration: pass the application (client) id of a registered app with --client-id <guid> (or MCP_CLIENT_ID), plus --client-secret (or MCP_CLIENT_SECRET) for a confidential client."
        : "Register a client with the authorization server and pass --client-id <id> (or MCP_CLIENT_ID), plus --client-secret (or MCP_CLIENT_SECRET) if it has one.",
    },
  );
}

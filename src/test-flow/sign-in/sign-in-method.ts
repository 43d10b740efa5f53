import { UsageError } from "../../core/errors.js";
import type { AuthorizationServerKind } from "../authorization-server-kind.js";
import type { TestFlowOptions } from "../options.js";

export type SignInMethod = "browser" | "headless" | "device-code" | "client-credentials" | "token-file";

export interface SignInChoice {
  /** undefined: no method can run here; stored tokens may still do, else sign-in is impossible. */
  method?: SignInMethod;
  reason: string;
}

/**
 * --token-file or --auth when given; otherwise the browser on a terminal, headless for the dev tenant
 * without one, and nothing elsewhere (the flow then says how to choose when it needs to sign in).
 */
export function chooseSignInMethod(
  options: Pick<
    TestFlowOptions,
    "auth" | "tokenFile" | "certificateFile" | "privateKeyFile" | "clientSecret" | "clientId"
  >,
  kind: AuthorizationServerKind,
  personPresent: boolean,
): SignInChoice {
  if (options.tokenFile) return { method: "token-file", reason: "--token-file" };
  if (options.auth === "device-code" && kind === "oauth") {
    throw new UsageError(
      "DEVICE_CODE_UNSUPPORTED",
      "--auth device-code works with Entra and the dev tenant only; this authorization server is neither.",
      {
        suggestion:
          "Use --auth browser on a terminal, or --auth headless for a server that signs in without a person.",
      },
    );
  }
  if (options.auth === "client-credentials" && kind !== "oauth" && !options.clientId) {
    throw new UsageError(
      "CLIENT_ID_REQUIRED",
      "--client-id is required with --auth client-credentials against Entra (a federated token is a client assertion there).",
      { suggestion: "Pass the application (client) id with --client-id <guid> (or MCP_CLIENT_ID)." },
    );
  }
  if (options.auth === "client-credentials" && !options.clientSecret) {
    if (kind === "oauth" && options.certificateFile) {
      throw new UsageError(
        "APP_CREDENTIAL_UNSUPPORTED",
        "--certificate-file works with Entra and the dev tenant (msal-node); this authorization server is neither.",
        { suggestion: "Pass the certificate's private key with --private-key-file <pem> (private_key_jwt)." },
      );
    }
    if (kind !== "oauth" && options.privateKeyFile && !options.certificateFile) {
      throw new UsageError(
        "APP_CREDENTIAL_UNSUPPORTED",
        "--private-key-file is for other authorization servers: Entra authenticates certificates, not bare keys.",
        { suggestion: "Pass the certificate and its key with --certificate-file <pem>." },
      );
    }
  }
  if (options.auth) return { method: options.auth, reason: `--auth ${options.auth}` };
  if (personPresent) return { method: "browser", reason: "default on a terminal" };
  if (kind === "dev-tenant")
    return { method: "headless", reason: "default for the dev tenant without a terminal" };
  return { reason: "no terminal and no --auth" };
}

export function chooseMethodError(issuer: string): UsageError {
  return new UsageError(
    "NO_SIGN_IN_METHOD",
    `Signing in to ${issuer} is needed, but there is no terminal to do it on and no --auth was given.`,
    {
      suggestion:
        "Choose one: --auth client-credentials (with --client-id and --client-secret, --certificate-file, --private-key-file or --federated-token-file), --token-file <file>, --auth headless (for an authorization server that signs in without a person), or run on a terminal for --auth browser.",
    },
  );
}

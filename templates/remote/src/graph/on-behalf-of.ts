import { createPrivateKey, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { AuthError, ConfidentialClientApplication, type NodeAuthOptions } from "@azure/msal-node";
import { managedIdentityAssertion } from "../auth/managed-identity-assertion.js";
import { type Config, entraEndpoints } from "../config.js";

/** Microsoft Graph's delegated permission the `whoami` tool needs (admin-consented at registration). */
export const GRAPH_SCOPES = ["https://graph.microsoft.com/User.Read"];

export class OnBehalfOfError extends Error {
  override readonly name = "OnBehalfOfError";
}

/** Exchanges a caller's token for a Graph token with the on-behalf-of flow. */
export type OnBehalfOf = (userAssertion: string, scopes: string[]) => Promise<string>;

/**
 * An MSAL confidential client for this API. It never forwards the caller's token: it presents it as
 * the assertion of an on-behalf-of request, authenticated with the API's own managed identity, secret or certificate,
 * and gets a new token for Graph. MSAL caches the results per assertion.
 */
export function createOnBehalfOf(config: Config, maxWaitMs = PROPAGATION_WAIT_MS): OnBehalfOf {
  const msal = createConfidentialClient(config);
  return async (userAssertion, scopes) => {
    try {
      const request = () => msal.acquireTokenOnBehalfOf({ oboAssertion: userAssertion, scopes });
      const result = await whilePropagating(request, maxWaitMs);
      if (!result?.accessToken) throw new OnBehalfOfError("Entra returned no access token");
      return result.accessToken;
    } catch (error) {
      if (error instanceof OnBehalfOfError) throw error;
      if (error instanceof AuthError) {
        const code = /AADSTS\d+/.exec(error.errorMessage)?.[0];
        throw new OnBehalfOfError(`${error.errorCode}${code ? ` (${code})` : ""}`);
      }
      throw new OnBehalfOfError("the token request failed");
    }
  };
}

/**
 * Entra's token service learns of a new secret (AADSTS7000215) or a new consent grant (AADSTS65001)
 * seconds after registration wrote it, so the first calls after `mcp-entra register` can fail with
 * them. They are retried, 1, 2, 4… s apart, for at most `maxWaitMs`; then the error stands.
 */
const PROPAGATION_CODES = /AADSTS(7000215|65001|700016|7000229):/;
const PROPAGATION_WAIT_MS = 30_000;

async function whilePropagating<T>(request: () => Promise<T>, maxWaitMs: number): Promise<T> {
  for (let waited = 0, delay = 1_000; ; waited += delay, delay = Math.min(delay * 2, 8_000)) {
    try {
      return await request();
    } catch (error) {
      const propagating = error instanceof AuthError && PROPAGATION_CODES.test(error.errorMessage);
      if (!propagating || waited + delay > maxWaitMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/** This API as an MSAL confidential client of its tenant, with its secret or certificate. */
export function createConfidentialClient(config: Config): ConfidentialClientApplication {
  const authority = entraEndpoints(config).authority;
  return new ConfidentialClientApplication({
    auth: {
      clientId: config.clientId,
      authority,
      // The authority is trusted as configured: no instance discovery call to the public cloud.
      knownAuthorities: [new URL(authority).host],
      ...credential(config),
    },
  });
}

function credential(
  config: Config,
): Pick<NodeAuthOptions, "clientSecret" | "clientCertificate" | "clientAssertion"> {
  if (config.credential.kind === "secret") return { clientSecret: config.credential.secret };
  // On Azure: the managed identity's token is the client assertion; no secret is read.
  if (config.credential.kind === "managed-identity") {
    return { clientAssertion: managedIdentityAssertion(config.credential.clientId) };
  }
  // One PEM file with the private key and the certificate, as `mcp-entra register --credential certificate` writes.
  const pem = readFileSync(config.credential.path, "utf8");
  const certificate = new X509Certificate(pem);
  const privateKey = createPrivateKey(pem).export({ format: "pem", type: "pkcs8" }).toString();
  return {
    clientCertificate: {
      thumbprintSha256: certificate.fingerprint256.replaceAll(":", ""),
      privateKey,
      x5c: certificate.toString(),
    },
  };
}

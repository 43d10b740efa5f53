import { createPrivateKey, randomUUID, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { SignJWT } from "jose";
import { managedIdentityAssertion } from "../auth/managed-identity-assertion.js";
import type { Config } from "../config.js";

const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/** The form parameters that authenticate this server's app at Entra's token endpoint. */
export type EntraClientAuthentication = () => Promise<Record<string, string>>;

/**
 * The app's managed identity token (on Azure), its client secret, or a client assertion (RFC 7523) signed with its certificate's private
 * key: PS256 with the certificate's SHA-256 thumbprint (`x5t#S256`), addressed to the token
 * endpoint, valid for 10 minutes. The same credential on-behalf-of uses (through MSAL).
 */
export function entraClientAuthentication(config: Config, tokenUrl: string): EntraClientAuthentication {
  const credential = config.credential;
  if (credential.kind === "secret") return async () => ({ client_secret: credential.secret });
  if (credential.kind === "managed-identity") {
    // On Azure: the managed identity's token for api://AzureADTokenExchange is the assertion.
    const assertion = managedIdentityAssertion(credential.clientId);
    return async () => ({ client_assertion_type: JWT_BEARER, client_assertion: await assertion() });
  }
  // One PEM file with the private key and the certificate, as `mcp-entra register --credential certificate` writes.
  const pem = readFileSync(credential.path, "utf8");
  const certificate = new X509Certificate(pem);
  const privateKey = createPrivateKey(pem);
  const thumbprint = Buffer.from(certificate.fingerprint256.replaceAll(":", ""), "hex").toString("base64url");
  return async () => {
    const now = Math.floor(Date.now() / 1000);
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: "PS256", typ: "JWT", "x5t#S256": thumbprint })
      .setIssuer(config.clientId)
      .setSubject(config.clientId)
      .setAudience(tokenUrl)
      .setJti(randomUUID())
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + 600)
      .sign(privateKey);
    return {
      client_assertion_type: JWT_BEARER,
      client_assertion: assertion,
    };
  };
}

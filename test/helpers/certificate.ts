import "reflect-metadata";
import { createHash, webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export interface TestCertificate {
  certPem: string;
  privateKeyPem: string;
  derBase64: string;
  /** Base64 SHA-1 thumbprint: Graph's customKeyIdentifier. */
  sha1Base64: string;
  /** Hex SHA-1 thumbprint: msal's legacy clientCertificate.thumbprint (x5t, RS256). */
  sha1Hex: string;
  /** Hex SHA-256 thumbprint: what msal's clientCertificate.thumbprintSha256 takes. */
  sha256Hex: string;
  notBefore: Date;
  notAfter: Date;
}

/** A fresh RSA key and a self-signed certificate for it, as a developer makes for an app credential. */
export async function selfSignedCertificate(subject = "CN=mcp-entra test client"): Promise<TestCertificate> {
  const algorithm: RsaHashedKeyGenParams = {
    name: "RSASSA-PKCS1-v1_5",
    hash: "SHA-256",
    publicExponent: new Uint8Array([1, 0, 1]),
    modulusLength: 2048,
  };
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ["sign", "verify"]);
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(Date.now() + 365 * 24 * 3600_000);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: subject,
    keys,
    notBefore,
    notAfter,
  });
  const der = Buffer.from(cert.rawData);
  const pkcs8 = await webcrypto.subtle.exportKey("pkcs8", keys.privateKey);
  return {
    certPem: cert.toString("pem"),
    privateKeyPem: x509.PemConverter.encode(pkcs8, "PRIVATE KEY"),
    derBase64: der.toString("base64"),
    sha1Base64: createHash("sha1").update(der).digest("base64"),
    sha1Hex: createHash("sha1").update(der).digest("hex"),
    sha256Hex: createHash("sha256").update(der).digest("hex"),
    notBefore,
    notAfter,
  };
}

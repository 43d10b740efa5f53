import { createPrivateKey, X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import { ConfidentialClientApplication, PublicClientApplication } from "@azure/msal-node";
import { UsageError } from "../../core/errors.js";
import { fileCachePlugin } from "../msal-cache-plugin.js";
import { msalConfiguration } from "../msal-config.js";
import { msalCacheFile } from "./user-settings.js";

export interface MsalTargetInfo {
  authority: string;
  caPems: string[];
}

/** A public client whose token cache lives in the home folder (0600). */
export function publicClientApp(
  target: MsalTargetInfo,
  clientId: string,
  home: string,
): PublicClientApplication {
  return new PublicClientApplication(
    msalConfiguration(
      { authority: target.authority, caPems: target.caPems },
      { clientId },
      { cache: { cachePlugin: fileCachePlugin(msalCacheFile(home)) } },
    ),
  );
}

export type AppCredential =
  | { kind: "secret"; secret: string }
  | { kind: "certificate"; path: string }
  | { kind: "federated-token-file"; path: string };

/** A confidential client for app-only sign-in, with a secret, a certificate or a federated token file. */
export async function confidentialClientApp(
  target: MsalTargetInfo,
  clientId: string,
  credential: AppCredential,
  home: string,
): Promise<ConfidentialClientApplication> {
  const cache = { cachePlugin: fileCachePlugin(msalCacheFile(home)) };
  const target_ = { authority: target.authority, caPems: target.caPems };
  if (credential.kind === "secret") {
    return new ConfidentialClientApplication(
      msalConfiguration(target_, { clientId, clientSecret: credential.secret }, { cache }),
    );
  }
  if (credential.kind === "federated-token-file") {
    const path = credential.path;
    const clientAssertion = async () => (await readFile(path, "utf8")).trim();
    return new ConfidentialClientApplication(
      msalConfiguration(target_, { clientId, clientAssertion }, { cache }),
    );
  }
  const clientCertificate = await readCertificate(credential.path);
  return new ConfidentialClientApplication(
    msalConfiguration(target_, { clientId, clientCertificate }, { cache }),
  );
}

/** A PEM file holding a certificate and its private key, as msal wants it. */
export async function readCertificate(path: string) {
  const pem = await readFile(path, "utf8").catch(() => {
    throw new UsageError("CERTIFICATE_UNREADABLE", `--certificate: cannot read ${path}.`, {
      suggestion: "pass a PEM file that holds the certificate and its private key.",
    });
  });
  const certificate = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/)?.[0];
  const key = pem.match(
    /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC )?PRIVATE KEY-----/,
  )?.[0];
  if (!certificate || !key) {
    throw new UsageError(
      "CERTIFICATE_INCOMPLETE",
      `--certificate: ${path} must hold a certificate and its private key.`,
      {
        suggestion: "concatenate the certificate and the key (PEM) into one file.",
      },
    );
  }
  const x509 = new X509Certificate(certificate);
  return {
    thumbprintSha256: x509.fingerprint256.replaceAll(":", "").toLowerCase(),
    privateKey: createPrivateKey(key).export({ format: "pem", type: "pkcs8" }).toString(),
    x5c: x509.raw.toString("base64"),
  };
}

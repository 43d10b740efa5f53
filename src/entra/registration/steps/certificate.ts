import { createHash, X509Certificate } from "node:crypto";
import type { Application, KeyCredential } from "../../../tenant/directory/tenant-state.js";
import type { GraphApi } from "../../graph-api.js";

export interface CertificateOutcome {
  keyId?: string;
  /** Base64 SHA-1 thumbprint (Graph's customKeyIdentifier). */
  thumbprint: string;
  added: boolean;
}

/** A certificate's identity as Graph records it: the base64 SHA-1 thumbprint of its DER form. */
export function certificateThumbprint(certificatePem: string): { der: Buffer; sha1Base64: string } {
  const der = new X509Certificate(certificatePem).raw;
  return { der, sha1Base64: createHash("sha1").update(der).digest("base64") };
}

/**
 * Adds the certificate as a key credential of the app when it has none with the same thumbprint.
 * keyCredentials is replaced whole by a PATCH, so the collection is read fresh
 * (`$select=keyCredentials`) right before the write and every credential already there is sent
 * back (as reads return it, without `key`; Graph keeps those by keyId). Never removes certificates:
 * the private keys belong to servers that may still use them.
 */
export async function ensureCertificate(
  graph: GraphApi,
  app: Application,
  certificate: { certificatePem: string; displayName: string },
): Promise<CertificateOutcome> {
  const { der, sha1Base64 } = certificateThumbprint(certificate.certificatePem);
  const matching = (credentials: KeyCredential[]) =>
    credentials.find((credential) => matchesThumbprint(credential, der, sha1Base64));
  const known = matching(app.keyCredentials);
  if (known) return { keyId: known.keyId, thumbprint: sha1Base64, added: false };

  const current = graph.dryRun
    ? app.keyCredentials
    : ((
        await graph.get<{ keyCredentials: KeyCredential[] }>(
          `/applications/${app.id}?$select=keyCredentials`,
          {
            replication: true,
          },
        )
      )?.keyCredentials ?? []);
  const found = matching(current);
  if (found) return { keyId: found.keyId, thumbprint: sha1Base64, added: false };

  const x509 = new X509Certificate(der);
  await graph.write({
    method: "PATCH",
    path: `/applications/${app.id}`,
    body: {
      keyCredentials: [
        ...current.map(
          ({ keyId, type, usage, displayName, customKeyIdentifier, startDateTime, endDateTime }) => ({
            keyId,
            type,
            usage,
            displayName,
            customKeyIdentifier,
            startDateTime,
            endDateTime,
            key: null,
          }),
        ),
        {
          type: "AsymmetricX509Cert",
          usage: "Verify",
          displayName: certificate.displayName,
          startDateTime: new Date(x509.validFrom).toISOString(),
          endDateTime: new Date(x509.validTo).toISOString(),
          key: der.toString("base64"),
        },
      ],
    },
    purpose: "add the certificate as a key credential",
    replication: true,
  });
  return { thumbprint: sha1Base64, added: true };
}

/** Graph returns customKeyIdentifier as base64 of the thumbprint; some callers stored it as hex. */
function matchesThumbprint(credential: KeyCredential, der: Buffer, sha1Base64: string): boolean {
  const id = credential.customKeyIdentifier ?? "";
  const hex = createHash("sha1").update(der).digest("hex");
  return id === sha1Base64 || id.toLowerCase() === hex;
}

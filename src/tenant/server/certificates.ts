import "reflect-metadata";
import { webcrypto, X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import * as x509 from "@peculiar/x509";
import { writeFileAtomic } from "../../core/fs.js";

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const RSA: RsaHashedKeyGenParams = {
  name: "RSASSA-PKCS1-v1_5",
  hash: "SHA-256",
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
};
const DAY = 24 * 60 * 60 * 1000;
/** Hosts the dev tenant's TLS certificate is valid for. */
export const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "::1"];

export interface CertificateFiles {
  caFile: string;
  caPem: string;
  /** The CA's private key, kept in memory to certify the token signing keys (never served). */
  caKeyPem: string;
  certPem: string;
  keyPem: string;
}

/**
 * The dev tenant's local CA and its TLS certificate, created on first start and kept in the tenant's
 * folder. The CA's key never leaves its folder (0600); the leaf is renewed when it nears expiry.
 * `caDir` keeps the CA elsewhere (see StartDevTenantOptions.caDir); the leaf stays in `dir`.
 */
export async function ensureCertificates(dir: string, caDir = dir): Promise<CertificateFiles> {
  const files = { cert: join(dir, "tls-cert.pem"), key: join(dir, "tls-key.pem") };
  let [certPem, keyPem] = await Promise.all([readOptional(files.cert), readOptional(files.key)]);
  // A first start generates the certificate's key pair while it makes the CA's.
  const leafKeys = certPem && keyPem ? undefined : generateRsaKeys();
  leafKeys?.catch(() => undefined);
  const { caFile, caPem, caKeyPem } = await ensureCa(caDir);
  if (!certPem || !keyPem || !leafIsUsable(certPem, caPem)) {
    ({ certPem, keyPem } = await issueCertificate({ caPem, caKeyPem }, LOOPBACK_NAMES, await leafKeys));
    await writeFileAtomic(files.key, keyPem);
    await writeFileAtomic(files.cert, certPem, 0o644);
  }
  return { caFile, caPem, caKeyPem, certPem, keyPem };
}

/**
 * A dev tenant CA in `dir` (ca.pem, and its key ca-key.pem, 0600), created when missing; returns the
 * CA file. For test runs that start several dev tenants with one CA (StartDevTenantOptions.caDir),
 * trusted through NODE_EXTRA_CA_CERTS by processes started after this.
 */
export async function ensureDevTenantCa(dir: string): Promise<string> {
  return (await ensureCa(dir)).caFile;
}

async function ensureCa(dir: string): Promise<{ caFile: string; caPem: string; caKeyPem: string }> {
  const caFile = join(dir, "ca.pem");
  const keyFile = join(dir, "ca-key.pem");
  let caPem = await readOptional(caFile);
  let caKeyPem = await readOptional(keyFile);
  if (!caPem || !caKeyPem) {
    ({ certPem: caPem, keyPem: caKeyPem } = await createCa());
    await writeFileAtomic(keyFile, caKeyPem);
    await writeFileAtomic(caFile, caPem, 0o644);
  }
  return { caFile, caPem, caKeyPem };
}

async function readOptional(path: string): Promise<string | undefined> {
  return readFile(path, "utf8").catch(() => undefined);
}

function leafIsUsable(certPem: string, caPem: string): boolean {
  const leaf = new X509Certificate(certPem);
  const renewBy = Date.parse(leaf.validTo) - 30 * DAY;
  return Date.now() < renewBy && leaf.checkIssued(new X509Certificate(caPem));
}

async function exportKey(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey("pkcs8", key);
  return x509.PemConverter.encode(der, "PRIVATE KEY");
}

function generateRsaKeys(): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(RSA, true, ["sign", "verify"]) as Promise<CryptoKeyPair>;
}

async function createCa(): Promise<{ certPem: string; keyPem: string }> {
  const keys = await generateRsaKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: `CN=mcp-entra dev tenant local CA ${new Date().toISOString().slice(0, 10)}, O=mcp-entra (development only)`,
    keys,
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + 10 * 365 * DAY),
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString("pem"), keyPem: await exportKey(keys.privateKey) };
}

function importCaKey(ca: { caKeyPem: string }): Promise<CryptoKey> {
  return webcrypto.subtle.importKey("pkcs8", x509.PemConverter.decodeFirst(ca.caKeyPem), RSA, false, [
    "sign",
  ]);
}

/**
 * A certificate for a token signing key, signed by the dev tenant's CA: what the JWKS publishes as
 * `x5c`, its SHA-1 thumbprint as `x5t` (Entra publishes each signing key with its certificate).
 */
export async function issueSigningCertificate(
  ca: { caPem: string; caKeyPem: string },
  publicKeySpki: Buffer,
  validFrom: Date,
): Promise<string> {
  const caCert = new x509.X509Certificate(ca.caPem);
  const publicKey = await webcrypto.subtle.importKey("spki", publicKeySpki, RSA, true, ["verify"]);
  const cert = await x509.X509CertificateGenerator.create({
    subject: "CN=mcp-entra dev tenant token signing, O=mcp-entra (development only)",
    issuer: caCert.subject,
    publicKey,
    signingKey: await importCaKey(ca),
    notBefore: new Date(validFrom.getTime() - DAY),
    notAfter: new Date(validFrom.getTime() + 5 * 365 * DAY),
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  return cert.toString("pem");
}

/** A TLS server certificate for `hosts`, signed by the dev tenant's CA. */
export async function issueCertificate(
  ca: { caPem: string; caKeyPem: string },
  hosts: string[],
  leafKeys?: CryptoKeyPair,
): Promise<{ certPem: string; keyPem: string }> {
  const caCert = new x509.X509Certificate(ca.caPem);
  const caKey = await importCaKey(ca);
  const keys = leafKeys ?? (await generateRsaKeys());
  const isIp = (host: string) => /^[\d.]+$/.test(host) || host.includes(":");
  const cert = await x509.X509CertificateGenerator.create({
    subject: `CN=${hosts[0]}`,
    issuer: caCert.subject,
    publicKey: keys.publicKey,
    signingKey: caKey,
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + 365 * DAY),
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
        true,
      ),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(
        hosts.map((host) => ({ type: isIp(host) ? ("ip" as const) : ("dns" as const), value: host })),
      ),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  return { certPem: cert.toString("pem"), keyPem: await exportKey(keys.privateKey) };
}

import { createHash, randomUUID, X509Certificate } from "node:crypto";
import type { KeyCredential } from "../directory/tenant-state.js";
import { guid, isObject, onlyKeys } from "./application-parts.js";
import { badRequest, invalidValue } from "./errors.js";

/**
 * `keyCredentials` in a POST or PATCH of an application, as Graph treats it: the collection is
 * replaced whole. An entry naming the keyId of a stored credential without a `key` (what reads
 * return, since `key` is always null there) keeps that credential; every other entry must carry the
 * certificate as base64 DER in `key`. Graph fills in what the certificate says: customKeyIdentifier
 * (base64 SHA-1 thumbprint), startDateTime and endDateTime (its validity), a keyId when none is given.
 */

const RESOURCE = "KeyCredential";
const KEYS = [
  "keyId",
  "type",
  "usage",
  "key",
  "displayName",
  "customKeyIdentifier",
  "startDateTime",
  "endDateTime",
];

export function readKeyCredentials(value: unknown, stored: KeyCredential[]): KeyCredential[] {
  if (!Array.isArray(value) || value.some((entry) => !isObject(entry))) {
    throw invalidValue("keyCredentials", "Application");
  }
  const result = (value as Record<string, unknown>[]).map((entry) => readKeyCredential(entry, stored));
  const ids = new Set(result.map((credential) => credential.keyId));
  if (ids.size !== result.length) throw invalidValue("keyId", RESOURCE);
  return result;
}

function readKeyCredential(input: Record<string, unknown>, stored: KeyCredential[]): KeyCredential {
  onlyKeys(input, KEYS);
  const keyId =
    input.keyId === undefined || input.keyId === null ? undefined : guid(input.keyId, "keyId", RESOURCE);
  const existing = keyId ? stored.find((credential) => credential.keyId === keyId) : undefined;
  if (input.key === undefined || input.key === null) {
    // A credential as a read returned it: kept as stored.
    if (!existing)
      throw badRequest("Key credential 'key' is required for a new key credential.", [
        { code: "InvalidValue", target: "key" },
      ]);
    return existing;
  }
  if (input.type !== "AsymmetricX509Cert") throw invalidValue("type", RESOURCE);
  if (input.usage !== "Verify") throw invalidValue("usage", RESOURCE);
  const der = decodeKey(input.key);
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(der);
  } catch {
    throw invalidValue("key", RESOURCE);
  }
  const notBefore = new Date(certificate.validFrom).toISOString();
  const notAfter = new Date(certificate.validTo).toISOString();
  const startDateTime = date(input.startDateTime, "startDateTime") ?? notBefore;
  const endDateTime = date(input.endDateTime, "endDateTime") ?? notAfter;
  if (
    Date.parse(endDateTime) <= Date.parse(startDateTime) ||
    Date.parse(endDateTime) > Date.parse(notAfter)
  ) {
    throw badRequest(
      "Key credential end date is invalid: it must be after the start date and within the certificate's validity.",
      [{ code: "InvalidValue", target: "endDateTime" }],
    );
  }
  if (
    input.displayName !== undefined &&
    input.displayName !== null &&
    typeof input.displayName !== "string"
  ) {
    throw invalidValue("displayName", RESOURCE);
  }
  return {
    keyId: keyId ?? randomUUID(),
    type: "AsymmetricX509Cert",
    usage: "Verify",
    displayName: (input.displayName as string | null | undefined) ?? certificate.subject.replace(/\n/g, ", "),
    customKeyIdentifier: customKeyIdentifier(input.customKeyIdentifier, der),
    startDateTime,
    endDateTime,
    key: der.toString("base64"),
  };
}

function decodeKey(value: unknown): Buffer {
  if (typeof value !== "string" || !/^[A-Za-z0-9+/]+={0,2}$/.test(value.replace(/\s/g, ""))) {
    throw invalidValue("key", RESOURCE);
  }
  return Buffer.from(value, "base64");
}

/** Graph computes the certificate's SHA-1 thumbprint when the caller sends none. */
function customKeyIdentifier(value: unknown, der: Buffer): string {
  if (value === undefined || value === null || value === "") {
    return createHash("sha1").update(der).digest("base64");
  }
  if (typeof value !== "string") throw invalidValue("customKeyIdentifier", RESOURCE);
  return value;
}

function date(value: unknown, property: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || Number.isNaN(Date.parse(value))) throw invalidValue(property, RESOURCE);
  return new Date(value).toISOString();
}

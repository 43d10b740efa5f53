import { createHash, X509Certificate } from "node:crypto";
import { compactVerify, decodeJwt, decodeProtectedHeader, type JWTPayload } from "jose";
import { isGuid } from "../../entra/well-known.js";
import type { TenantContext } from "../context.js";
import { type ClientApp, clientByAppId } from "../directory/lookups.js";
import type { Application } from "../directory/tenant-state.js";
import { AadstsError } from "../errors/protocol-error.js";
import { secretMatches } from "../secrets/passwords.js";
import { checkSecretPropagated } from "../server/propagation.js";
import type { ClientAuthLevel } from "../tokens/token-claims.js";
import type { PresentedCredentials } from "./client-credentials-input.js";
import { matchFederatedCredential } from "./federated-credential-match.js";
import { federatedIssuerKeys } from "./federated-issuers.js";

const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const CLOCK_SKEW_SECONDS = 300;

export interface AuthenticatedClient {
  client: ClientApp;
  level: ClientAuthLevel;
}

export interface ClientAuthOptions {
  /** URLs of this token endpoint that a certificate assertion's `aud` may name. */
  tokenEndpoints: string[];
  /** The flow needs a confidential client (client credentials, on-behalf-of, web redirect URIs). */
  requireCredential: boolean;
}

/** Finds the client and checks the credential it presented, as Entra's token endpoint does. */
export async function authenticateClient(
  ctx: TenantContext,
  presented: PresentedCredentials,
  options: ClientAuthOptions,
): Promise<AuthenticatedClient> {
  const clientId = presented.clientId?.trim();
  if (!clientId) throw new AadstsError(900144, { parameter: "client_id" });
  const client = lookupClient(ctx, clientId);
  if (presented.clientSecret !== undefined && presented.clientSecret !== "") {
    checkSecret(ctx, client, presented.clientSecret);
    return { client, level: "1" };
  }
  if (presented.assertion) {
    if (presented.assertionType !== JWT_BEARER) {
      throw new AadstsError(900144, { parameter: "client_assertion_type" });
    }
    await checkAssertion(ctx, client, presented.assertion, options.tokenEndpoints);
    return { client, level: "2" };
  }
  if (options.requireCredential) throw new AadstsError(7000218);
  return { client, level: "0" };
}

/** The client for an id, or Entra's error for a malformed or unknown id. */
export function lookupClient(ctx: TenantContext, clientId: string): ClientApp {
  if (!isGuid(clientId)) throw new AadstsError(90112);
  const client = clientByAppId(ctx.store.state, clientId);
  if (!client) throw new AadstsError(700016, { appId: clientId, tenant: ctx.store.state.tenant.id });
  return client;
}

function checkSecret(ctx: TenantContext, client: ClientApp, secret: string): void {
  if (!client.application) throw new AadstsError(700025);
  const hashes = ctx.store.state.secretHashes;
  const match = client.application.passwordCredentials.find((credential) => {
    const hash = hashes[credential.keyId];
    return hash !== undefined && secretMatches(secret, hash);
  });
  if (!match) throw new AadstsError(7000215, { appId: client.appId });
  checkSecretPropagated(ctx, client, match.keyId);
  if (Date.parse(match.endDateTime) <= ctx.clock.now())
    throw new AadstsError(7000222, { appId: client.appId });
}

async function checkAssertion(
  ctx: TenantContext,
  client: ClientApp,
  assertion: string,
  tokenEndpoints: string[],
): Promise<void> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  let payload: JWTPayload;
  try {
    header = decodeProtectedHeader(assertion);
    payload = decodeJwt(assertion);
  } catch {
    throw new AadstsError(50027);
  }
  if (!client.application) throw new AadstsError(700027);
  checkTimeRange(ctx, payload);
  if (payload.iss === client.appId) {
    await checkCertificateAssertion(client.application, assertion, header, payload, tokenEndpoints);
  } else {
    await checkFederatedAssertion(ctx, client.application, assertion, payload);
  }
}

function thumbprints(credentialKey: string): { sha1: string; sha256: string } {
  const der = Buffer.from(credentialKey, "base64");
  return {
    sha1: createHash("sha1").update(der).digest("base64url"),
    sha256: createHash("sha256").update(der).digest("base64url"),
  };
}

async function checkCertificateAssertion(
  application: Application,
  assertion: string,
  header: Record<string, unknown>,
  payload: JWTPayload,
  tokenEndpoints: string[],
): Promise<void> {
  const credential = application.keyCredentials.find((candidate) => {
    if (!candidate.key) return false;
    const prints = thumbprints(candidate.key);
    return header["x5t#S256"] === prints.sha256 || header.x5t === prints.sha1;
  });
  if (!credential?.key) throw new AadstsError(700027);
  const publicKey = new X509Certificate(Buffer.from(credential.key, "base64")).publicKey;
  try {
    await compactVerify(assertion, publicKey, { algorithms: ["PS256", "RS256"] });
  } catch {
    throw new AadstsError(700027);
  }
  const audiences = [payload.aud].flat();
  if (payload.sub !== application.appId || !audiences.some((aud) => aud && tokenEndpoints.includes(aud))) {
    throw new AadstsError(700027);
  }
}

async function checkFederatedAssertion(
  ctx: TenantContext,
  application: Application,
  assertion: string,
  payload: JWTPayload,
): Promise<void> {
  const credentials = ctx.store.state.federatedIdentityCredentials[application.id] ?? [];
  const match = matchFederatedCredential(credentials, payload);
  try {
    const keys = await federatedIssuerKeys(ctx, match.issuer);
    await compactVerify(assertion, keys, { algorithms: ["RS256", "PS256", "ES256"] });
  } catch {
    throw new AadstsError(700027);
  }
}

function checkTimeRange(ctx: TenantContext, payload: JWTPayload): void {
  const now = ctx.clock.nowSeconds();
  const expired = typeof payload.exp !== "number" || payload.exp + CLOCK_SKEW_SECONDS < now;
  const early = typeof payload.nbf === "number" && payload.nbf - CLOCK_SKEW_SECONDS > now;
  if (expired || early) {
    throw new AadstsError(700024, {
      now: new Date(now * 1000).toISOString(),
      notBefore: typeof payload.nbf === "number" ? new Date(payload.nbf * 1000).toISOString() : "",
      expiry: typeof payload.exp === "number" ? new Date(payload.exp * 1000).toISOString() : "",
    });
  }
}

import type { JWTPayload } from "jose";
import { FEDERATED_TOKEN_AUDIENCE, TOKEN_EXCHANGE_APP_ID } from "../../entra/well-known.js";
import type { FederatedIdentityCredential } from "../directory/tenant-state.js";
import { AadstsError } from "../errors/protocol-error.js";

/**
 * The federated credential of an app that trusts a presented assertion, or Entra's error naming the
 * field that matched none: an app without federated credentials gets AADSTS70021; otherwise the
 * issuer is compared first (AADSTS700211), then the subject among the credentials of that issuer
 * (AADSTS700213), then the audience (AADSTS700212). Matching is case-sensitive, as Entra's is.
 */
export function matchFederatedCredential(
  credentials: FederatedIdentityCredential[],
  payload: JWTPayload,
): FederatedIdentityCredential {
  const audiences = [payload.aud].flat().filter((aud): aud is string => typeof aud === "string");
  const issuer = String(payload.iss ?? "");
  const subject = String(payload.sub ?? "");
  if (credentials.length === 0) {
    throw new AadstsError(70021, { issuer, subject, audience: audiences.join(",") });
  }
  const ofIssuer = credentials.filter((credential) => credential.issuer === issuer);
  if (ofIssuer.length === 0) throw new AadstsError(700211, { issuer });
  const ofSubject = ofIssuer.filter((credential) => credential.subject === subject);
  if (ofSubject.length === 0) throw new AadstsError(700213, { subject });
  const match = ofSubject.find((credential) =>
    credential.audiences.some((audience) => audiences.some((aud) => sameAudience(audience, aud))),
  );
  if (!match) throw new AadstsError(700212, { audience: audiences.join(",") });
  return match;
}

/** api://AzureADTokenExchange and its app id name the same resource: managed identity tokens carry the id. */
function sameAudience(configured: string, presented: string): boolean {
  if (configured === presented) return true;
  return configured === FEDERATED_TOKEN_AUDIENCE && presented === TOKEN_EXCHANGE_APP_ID;
}

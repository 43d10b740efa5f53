import type { FederatedIdentityCredential } from "../../../tenant/directory/tenant-state.js";
import { managedIdentityIssuer } from "../../registration/managed-identity-credential.js";
import { isLoopbackHost } from "../../registration/options.js";
import { FEDERATED_TOKEN_AUDIENCE } from "../../well-known.js";
import type { AppSnapshot, DoctorContext, Findings } from "../model.js";

/**
 * The managed identity a server signs in with (--credential managed-identity): the identity exists,
 * and a federated credential of the app trusts it with the right issuer, subject and audience. A
 * wrong field is named with the AADSTS error the server's token requests get.
 */
export function checkManagedIdentity(ctx: DoctorContext, snap: AppSnapshot, f: Findings): void {
  const recorded = snap.record.managedIdentity;
  if (!recorded) return;
  const preset = snap.record.preset;
  const fix = `mcp-entra register --preset ${preset} --credential managed-identity --managed-identity ${recorded.clientId}`;
  const identity = snap.managedIdentity;
  if (!identity) {
    f.add({
      id: "managed-identity",
      app: snap.key,
      status: "error",
      summary: `The managed identity ${recorded.name} (client id ${recorded.clientId}) is not in ${ctx.target.label}: the host cannot get its token, and the server cannot sign in.`,
      evidence: { clientId: recorded.clientId, principalId: recorded.principalId },
      fix: `create the identity and assign it to the host (az identity create), then ${fix.replace(recorded.clientId, "<its client id>")}`,
    });
    return;
  }
  f.passed("managed-identity", snap.key, `The managed identity ${identity.name} exists.`, {
    clientId: identity.clientId,
    principalId: identity.principalId,
  });
  const expected = {
    issuer: managedIdentityIssuer(ctx.target.authorityHost, ctx.target.tenantId),
    subject: identity.principalId,
    audience: FEDERATED_TOKEN_AUDIENCE,
  };
  const credential = trustingCredential(snap, recorded.principalId);
  if (!credential) {
    f.add({
      id: "managed-identity-credential",
      app: snap.key,
      status: "error",
      summary: `No federated credential of the app trusts the managed identity ${identity.name}: the server's token requests fail with AADSTS70021.`,
      evidence: { expectedIssuer: expected.issuer, expectedSubject: expected.subject },
      fix,
    });
    return;
  }
  const wrong: { field: string; found: string; want: string; code: string; hint?: string }[] = [];
  if (credential.issuer !== expected.issuer) {
    wrong.push({ field: "issuer", found: credential.issuer, want: expected.issuer, code: "AADSTS700211" });
  }
  if (credential.subject !== expected.subject) {
    wrong.push({
      field: "subject",
      found: credential.subject,
      want: expected.subject,
      code: "AADSTS700213",
      hint:
        credential.subject.toLowerCase() === identity.clientId
          ? " (that is the identity's client id; the subject is its principal (object) id)"
          : "",
    });
  }
  if (!credential.audiences.includes(expected.audience)) {
    wrong.push({
      field: "audiences",
      found: credential.audiences.join(", "),
      want: expected.audience,
      code: "AADSTS700212",
    });
  }
  for (const problem of wrong) {
    f.add({
      id: "managed-identity-credential",
      app: snap.key,
      status: "error",
      summary: `The federated credential ${credential.name} has the wrong ${problem.field}: ${problem.found}${problem.hint ?? ""}, not ${problem.want}. The server's token requests fail with ${problem.code}.`,
      evidence: {
        credential: credential.name,
        field: problem.field,
        found: problem.found,
        expected: problem.want,
      },
      fix,
    });
  }
  if (wrong.length === 0) {
    f.passed(
      "managed-identity-credential",
      snap.key,
      `The federated credential ${credential.name} trusts the managed identity (issuer, subject and audience match).`,
      { credential: credential.name, ...expected },
    );
  }
}

/** The credential register made for the identity (by name), else any whose subject names it. */
function trustingCredential(snap: AppSnapshot, principalId: string): FederatedIdentityCredential | undefined {
  const credentials = snap.federatedCredentials ?? [];
  return (
    credentials.find((credential) => credential.name === `managed-identity-${principalId}`) ??
    credentials.find((credential) => credential.subject === principalId)
  );
}

/**
 * A server that looks deployed (an https URL on a real host) but signs in to Entra with a client
 * secret: a warning that names the secretless path.
 */
export function checkSecretless(ctx: DoctorContext, snap: AppSnapshot, f: Findings): void {
  const url = ctx.server?.url ?? snap.record.serverUrl;
  if (!url || !URL.canParse(url) || snap.record.managedIdentity) return;
  const parsed = new URL(url);
  const deployed = parsed.protocol === "https:" && !isLoopbackHost(parsed.hostname);
  const usesSecret = Boolean(snap.record.secret) || Boolean(ctx.env.ENTRA_CLIENT_SECRET);
  if (!deployed || !usesSecret) return;
  f.add({
    id: "secretless",
    app: snap.key,
    status: "warning",
    summary: `The server at ${url} looks deployed but signs in to Entra with a client secret, which can leak and must be rotated; on Azure, a managed identity needs no secret.`,
    evidence: { serverUrl: url },
    fix: `mcp-entra register --preset ${snap.record.preset} --server-url ${url} --credential managed-identity --managed-identity <client id of the host's user-assigned identity>`,
  });
}

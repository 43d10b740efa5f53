import type { PasswordCredential } from "../../../tenant/directory/tenant-state.js";
import type { AppSnapshot, DoctorContext, Findings } from "../model.js";

const DAY = 24 * 3600 * 1000;
/** A secret that expires sooner than this is worth rotating now. */
export const SECRET_WARNING_DAYS = 30;

/** The client secret mcp-entra manages for an app: there, not expired, not about to expire. */
export function checkSecret(ctx: DoctorContext, snap: AppSnapshot, f: Findings): void {
  const app = snap.app!;
  const recorded = snap.record.secret;
  const fix = `mcp-entra register --preset ${snap.record.preset} --new-secret (writes the new value to .env)`;
  const credentials = app.passwordCredentials;
  if (!recorded && credentials.length === 0) return;
  let secret: PasswordCredential | undefined;
  if (recorded) {
    secret = credentials.find((credential) => credential.keyId === recorded.keyId);
    if (!secret) {
      f.add({
        id: "client-secret",
        app: snap.key,
        status: "error",
        summary: `The client secret mcp-entra.json records (keyId ${recorded.keyId}) is no longer on the app: the value in .env is refused (AADSTS7000215).`,
        evidence: { keyIds: credentials.map((credential) => credential.keyId) },
        fix,
      });
      return;
    }
  } else {
    secret = [...credentials].sort((a, b) => Date.parse(b.endDateTime) - Date.parse(a.endDateTime))[0];
  }
  const end = Date.parse(secret!.endDateTime);
  const days = Math.floor((end - ctx.now) / DAY);
  const evidence = {
    keyId: secret!.keyId,
    hint: secret!.hint ? `${secret!.hint}…` : null,
    endDateTime: secret!.endDateTime,
  };
  const user = snap.record.preset === "ci" ? "CI's client credentials" : "the server's on-behalf-of calls";
  if (end <= ctx.now) {
    f.add({
      id: "client-secret",
      app: snap.key,
      status: "error",
      summary: `The client secret expired on ${secret!.endDateTime}: ${user} fail with AADSTS7000222.`,
      evidence,
      fix,
    });
  } else if (days < SECRET_WARNING_DAYS) {
    f.add({
      id: "client-secret",
      app: snap.key,
      status: "warning",
      summary: `The client secret expires in ${days} day${days === 1 ? "" : "s"} (${secret!.endDateTime}); then ${user} fail with AADSTS7000222.`,
      evidence,
      fix,
    });
  } else {
    f.passed("client-secret", snap.key, `The client secret is valid for ${days} more days.`, evidence);
  }
}

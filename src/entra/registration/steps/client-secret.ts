import type { Application, PasswordCredential } from "../../../tenant/directory/tenant-state.js";
import type { GraphApi } from "../../graph-api.js";
import type { DesiredCredential } from "../model.js";

export const MANAGED_SECRET_PREFIX = "mcp-entra";

export interface IssuedSecret {
  keyId: string;
  hint: string | null;
  endDateTime: string;
  /** The value: returned once by Graph, written to .env by the caller, never logged. */
  value: string;
}

export interface SecretOutcome {
  /** A new secret was added in this run. */
  issued?: IssuedSecret;
  /** The secret mcp-entra manages after this run (kept or issued). */
  current?: { keyId: string; hint: string | null; endDateTime: string };
  removed: string[];
}

const DAY = 24 * 3600 * 1000;

/**
 * Keeps exactly one client secret managed by mcp-entra whose value the project holds: adds one when
 * there is none usable (or --new-secret), hands it to `persist` (which writes .env) BEFORE removing
 * the managed secrets that are left over — from a rotation or an interrupted run.
 */
export async function ensureClientSecret(
  graph: GraphApi,
  app: Application,
  credential: DesiredCredential,
  known: { keyId?: string; valueInEnv: boolean; label: string },
  persist: (secret: IssuedSecret) => Promise<void>,
): Promise<SecretOutcome> {
  const managed = app.passwordCredentials.filter((c) => c.displayName?.startsWith(MANAGED_SECRET_PREFIX));
  const usable = managed.find(
    (c) => c.keyId === known.keyId && known.valueInEnv && Date.parse(c.endDateTime) > Date.now() + DAY,
  );
  let keep: PasswordCredential | undefined;
  let issued: IssuedSecret | undefined;
  if (credential.kind === "secret") {
    if (usable && !credential.rotate) keep = usable;
    else {
      const answer = await graph.write<Omit<PasswordCredential, "secretText"> & { secretText: string }>({
        method: "POST",
        path: `/applications/${app.id}/addPassword`,
        body: {
          passwordCredential: {
            displayName: `${MANAGED_SECRET_PREFIX} ${known.label}`,
            endDateTime: new Date(Date.now() + credential.lifetimeDays * DAY).toISOString(),
          },
        },
        purpose: "add a client secret",
        replication: true,
        simulated: { keyId: "<new keyId>", hint: null, endDateTime: "", secretText: "" } as never,
      });
      issued = {
        keyId: answer.keyId,
        hint: answer.hint,
        endDateTime: answer.endDateTime,
        value: answer.secretText,
      };
      if (!graph.dryRun) await persist(issued);
    }
  }
  const keptId = keep?.keyId ?? issued?.keyId;
  const removed: string[] = [];
  for (const stale of managed.filter((c) => c.keyId !== keptId)) {
    await graph.write({
      method: "POST",
      path: `/applications/${app.id}/removePassword`,
      body: { keyId: stale.keyId },
      purpose: "remove a client secret mcp-entra no longer uses",
      replication: true,
    });
    removed.push(stale.keyId);
  }
  const current = keep
    ? { keyId: keep.keyId, hint: keep.hint, endDateTime: keep.endDateTime }
    : issued && { keyId: issued.keyId, hint: issued.hint, endDateTime: issued.endDateTime };
  return { issued, current, removed };
}

import { z } from "zod";
import { ensureGitIgnored, readEnvFile, updateEnvFile } from "../../../core/env-file.js";
import { UsageError } from "../../../core/errors.js";
import { parseOptions } from "../../../core/parse-options.js";
import type { GraphWrite } from "../../graph-api.js";
import { registerOptionsSchema } from "../options.js";
import { secretVariable } from "../project-outputs.js";
import { desiredFromRecord } from "../recorded-flags.js";
import { findApplication } from "../steps/application.js";
import { ensureClientSecret, type IssuedSecret, type SecretOutcome } from "../steps/client-secret.js";
import {
  appNotFound,
  type LifecycleDeps,
  type OpenedRegistration,
  openRegistration,
  saveConfig,
  selectionSchema,
} from "./registration-context.js";

export const secretRotateSchema = selectionSchema.extend({
  secretLifetime: registerOptionsSchema.shape.secretLifetime.unwrap().optional(),
  showSecret: z.boolean().default(false),
  dryRun: z.boolean().default(false),
});

export interface SecretRotateResult {
  opened: OpenedRegistration;
  dryRun: boolean;
  showSecret: boolean;
  lifetimeDays: number;
  /** The .env variable that holds the secret. */
  variable: string;
  outcome: SecretOutcome;
  issued?: IssuedSecret;
  writes: GraphWrite[];
}

/**
 * `mcp-entra secret rotate`: a new managed client secret, written to .env and recorded in
 * mcp-entra.json BEFORE the old managed secret(s) are removed — register's own ensureClientSecret
 * with rotate on. A rotation killed after the add converges on the next run: it removes every
 * managed secret but the one it keeps.
 */
export async function runSecretRotate(
  raw: Record<string, unknown>,
  deps: LifecycleDeps,
): Promise<SecretRotateResult> {
  const options = parseOptions(secretRotateSchema, raw);
  const opened = await openRegistration(options, deps, { dryRun: options.dryRun });
  const { graph, record, key } = opened;
  const desired = desiredFromRecord(record, key);
  if (desired.credential.kind !== "secret") {
    const uses =
      desired.credential.kind === "none" ? "no client secret" : `a ${desired.credential.kind} credential`;
    throw new UsageError(
      "NO_SECRET_TO_ROTATE",
      `The ${key} registration uses ${uses}: there is no secret to rotate.`,
      {
        suggestion: `to give it a client secret, run \`mcp-entra register --preset ${record.preset} --credential secret\`.`,
      },
    );
  }
  const app = await findApplication(graph, { appId: record.appId, uniqueName: record.uniqueName });
  if (!app) throw appNotFound(opened);
  const variable = secretVariable(desired);
  const lifetimeDays = options.secretLifetime ?? desired.credential.lifetimeDays;
  let issued: IssuedSecret | undefined;
  const spinner = await deps.ui.spinner(`Rotating the client secret of ${app.displayName}`);
  let outcome: SecretOutcome;
  try {
    outcome = await ensureClientSecret(
      graph,
      app,
      { kind: "secret", lifetimeDays, rotate: true },
      {
        keyId: record.secret?.keyId,
        valueInEnv: Boolean((await readEnvFile(opened.envPath))[variable]),
        label: key,
      },
      async (secret) => {
        issued = secret;
        await updateEnvFile(opened.envPath, { [variable]: secret.value });
        await ensureGitIgnored(opened.dir);
        record.secret = { keyId: secret.keyId, hint: secret.hint, endDateTime: secret.endDateTime };
        await saveConfig(opened);
      },
    );
  } catch (error) {
    spinner.fail(
      issued
        ? "The new secret is in .env; removing the old one failed. Running the same command again finishes it."
        : "Rotation stopped before a new secret was saved; nothing changed in .env.",
    );
    throw error;
  }
  spinner.stop();
  return {
    opened,
    dryRun: options.dryRun,
    showSecret: options.showSecret,
    lifetimeDays,
    variable,
    outcome,
    issued,
    writes: graph.writes,
  };
}

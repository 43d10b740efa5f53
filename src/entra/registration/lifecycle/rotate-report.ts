import type { Ui } from "../../../core/ui.js";
import type { SecretRotateResult } from "./secret-rotate.js";

/** `secret rotate --json`: ids, hint and expiry of the new secret; its value only with --show-secret. */
export function secretRotateJson(result: SecretRotateResult) {
  const { issued } = result;
  return {
    ok: true,
    dryRun: result.dryRun,
    key: result.opened.key,
    appId: result.opened.record.appId ?? null,
    secret: issued && {
      keyId: issued.keyId,
      hint: issued.hint,
      endDateTime: issued.endDateTime,
      variable: result.variable,
      ...(result.showSecret && !result.dryRun ? { value: issued.value } : {}),
    },
    removed: result.outcome.removed,
    graph: { writes: result.writes.map(({ method, path, purpose }) => ({ method, path, purpose })) },
  };
}

export function renderSecretRotate(result: SecretRotateResult, ui: Ui): void {
  const json = secretRotateJson(result);
  if (ui.json) {
    ui.printJson(json);
    return;
  }
  const c = ui.color;
  const name = c.bold(result.opened.record.displayName);
  if (result.dryRun) {
    ui.print(`Plan for rotating the client secret of ${name} (nothing was changed):`);
    for (const write of json.graph.writes) {
      ui.print(`  ${c.cyan(write.method)} ${write.path}  ${c.dim(`# ${write.purpose}`)}`);
    }
    return;
  }
  const secret = json.secret!;
  ui.print(`${c.green("✔")} New client secret for ${name}: ${secret.keyId}`);
  ui.print(
    `  in .env as ${secret.variable} (hint ${secret.hint ?? "?"}…, ${result.lifetimeDays} days, expires ${secret.endDateTime.slice(0, 10)})`,
  );
  if (json.removed.length)
    ui.print(`  removed the old secret${json.removed.length > 1 ? "s" : ""} ${json.removed.join(", ")}`);
  if ("value" in secret) ui.print(`  value: ${secret.value}`);
  ui.note("Restart servers that read .env: the old secret no longer works.");
}

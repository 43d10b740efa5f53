import type { Ui } from "../../../core/ui.js";
import { expiryText } from "./credential-status.js";
import type { SecretListResult } from "./secret-list.js";

/** `secret list --json`: ids, hints, dates and flags — never a value. */
export function secretListJson(result: SecretListResult) {
  return {
    ok: true,
    key: result.opened.key,
    app: { displayName: result.app.displayName, appId: result.app.appId },
    secretVariable: result.variable,
    secrets: result.secrets,
    certificates: result.app.keyCredentials.map((c) => ({
      keyId: c.keyId,
      displayName: c.displayName,
      thumbprint: c.customKeyIdentifier,
      startDateTime: c.startDateTime,
      endDateTime: c.endDateTime,
    })),
    federatedCredentials: result.federated.map((c) => ({
      id: c.id,
      name: c.name,
      issuer: c.issuer,
      subject: c.subject,
      audiences: c.audiences,
    })),
  };
}

export function renderSecretList(result: SecretListResult, ui: Ui): void {
  const json = secretListJson(result);
  if (ui.json) {
    ui.printJson(json);
    return;
  }
  const c = ui.color;
  ui.print(`Credentials of ${c.bold(json.app.displayName)} (${json.app.appId})`);
  if (json.secrets.length === 0) ui.print("  no client secrets");
  for (const secret of json.secrets) {
    const status = expiryText(secret);
    const coloured = secret.expired ? c.red(status) : secret.expiresSoon ? c.yellow(status) : status;
    const marks = [
      secret.managed ? "managed by mcp-entra" : "",
      secret.inEnv ? `in .env as ${json.secretVariable}` : "",
    ]
      .filter(Boolean)
      .join(", ");
    ui.print(
      `  secret ${secret.keyId}  ${secret.displayName ?? "(no name)"}  hint ${secret.hint ?? "?"}…  ` +
        `from ${secret.startDateTime.slice(0, 10)}  ${coloured}${marks ? `  [${marks}]` : ""}`,
    );
  }
  for (const cert of json.certificates) {
    ui.print(
      `  certificate ${cert.keyId}  ${cert.displayName ?? ""}  until ${cert.endDateTime.slice(0, 10)}`,
    );
  }
  for (const fic of json.federatedCredentials) {
    ui.print(`  federated ${fic.name}  ${fic.issuer}  ${fic.subject}  (${fic.audiences.join(", ")})`);
  }
}

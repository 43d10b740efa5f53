import { invalidFlag } from "../../core/errors.js";
import { mcpEntraHome } from "../../core/paths.js";
import type { Ui } from "../../core/ui.js";
import { MANAGED_IDENTITY_NAME_PATTERN } from "../../tenant/directory/managed-identities.js";
import { ensureDevTenant } from "../../tenant/server/ensure.js";

/** `tenant identities [list]`: the dev tenant's user-assigned managed identities. */
export async function runTenantIdentitiesList(ui: Ui, home = mcpEntraHome()): Promise<number> {
  const { admin } = await ensureDevTenant({ home, ui });
  const identities = await admin.listManagedIdentities();
  if (ui.json) {
    ui.printJson({ identities });
    return 0;
  }
  if (identities.length === 0) {
    ui.print("No managed identities yet: add one with `mcp-entra tenant identities add <name>`.");
    return 0;
  }
  const width = Math.max(...identities.map((identity) => identity.name.length), 4) + 2;
  ui.print(`${"Name".padEnd(width)}${"Client id".padEnd(38)}Principal (object) id`);
  for (const identity of identities) {
    ui.print(`${identity.name.padEnd(width)}${identity.clientId.padEnd(38)}${identity.principalId}`);
  }
  return 0;
}

/** `tenant identities add <name>`: a user-assigned managed identity, as `az identity create` makes one. */
export async function runTenantIdentitiesAdd(name: string, ui: Ui, home = mcpEntraHome()): Promise<number> {
  if (!MANAGED_IDENTITY_NAME_PATTERN.test(name)) {
    throw invalidFlag(
      "<name>",
      `"${name}" is not a valid identity name`,
      "Use 2 to 128 letters, digits, '-' or '_', starting with a letter or digit.",
    );
  }
  const { admin } = await ensureDevTenant({ home, ui });
  const identity = await admin.addManagedIdentity(name);
  if (ui.json) {
    ui.printJson({ added: identity });
    return 0;
  }
  ui.print(`Added managed identity ${identity.name}.`);
  ui.print(`  Client id              ${identity.clientId}`);
  ui.print(`  Principal (object) id  ${identity.principalId}`);
  ui.note(
    `Trust it from your server's app: mcp-entra register --preset remote --credential managed-identity --managed-identity ${identity.clientId}`,
  );
  return 0;
}

import { z } from "zod";
import { invalidFlag } from "../../core/errors.js";
import { parseOptions } from "../../core/parse-options.js";
import { mcpEntraHome } from "../../core/paths.js";
import type { Ui } from "../../core/ui.js";
import { USER_ALIAS_PATTERN } from "../../tenant/directory/users.js";
import { ensureDevTenant } from "../../tenant/server/ensure.js";

export const tenantUsersAddOptions = z.object({
  name: z.string().trim().min(1, "must not be empty").optional(),
  password: z.string().min(1, "must not be empty").optional(),
  admin: z.boolean().optional(),
});

/** `tenant users [list]` */
export async function runTenantUsersList(ui: Ui, home = mcpEntraHome()): Promise<number> {
  const { admin, domain } = await ensureDevTenant({ home, ui });
  const users = await admin.listUsers();
  if (ui.json) {
    ui.printJson({ domain, users });
    return 0;
  }
  const width = Math.max(...users.map((user) => user.userPrincipalName.length), 3) + 2;
  ui.print(`${"UPN".padEnd(width)}${"Name".padEnd(24)}Admin`);
  for (const user of users) {
    ui.print(
      `${user.userPrincipalName.padEnd(width)}${user.displayName.padEnd(24)}${user.admin ? "yes" : ""}`,
    );
  }
  return 0;
}

/** `tenant users add <alias> [--name] [--password] [--admin]` */
export async function runTenantUsersAdd(
  alias: string,
  raw: unknown,
  ui: Ui,
  home = mcpEntraHome(),
): Promise<number> {
  const options = parseOptions(tenantUsersAddOptions, raw);
  if (!USER_ALIAS_PATTERN.test(alias)) {
    throw invalidFlag(
      "<alias>",
      `"${alias}" is not a valid alias`,
      "Use letters, digits, '.', '_' or '-' (at most 64), starting and ending with a letter or digit.",
    );
  }
  const { admin } = await ensureDevTenant({ home, ui });
  const user = await admin.addUser({
    alias,
    displayName: options.name,
    password: options.password,
    admin: options.admin,
  });
  if (ui.json) {
    ui.printJson({ added: user });
    return 0;
  }
  ui.print(`Added ${user.userPrincipalName} (${user.displayName}${user.admin ? ", administrator" : ""}).`);
  ui.note(
    options.password
      ? "It signs in with the password you gave."
      : "It signs in with the default test password (see the README).",
  );
  return 0;
}

/** `tenant users remove <upn>` */
export async function runTenantUsersRemove(upn: string, ui: Ui, home = mcpEntraHome()): Promise<number> {
  const { admin, domain } = await ensureDevTenant({ home, ui });
  const name = upn.includes("@") ? upn : `${upn}@${domain}`;
  const user = await admin.removeUser(name);
  if (ui.json) ui.printJson({ removed: user });
  else ui.print(`Removed ${user.userPrincipalName} with its consents, role assignments and refresh tokens.`);
  return 0;
}

import { z } from "zod";
import { blankAsNaN, parseOptions } from "../../core/parse-options.js";
import { mcpEntraHome } from "../../core/paths.js";
import type { Ui } from "../../core/ui.js";
import { ensureDevTenant } from "../../tenant/server/ensure.js";
import { DEFAULT_KEY_GRACE_HOURS } from "../../tenant/tokens/key-rotation.js";

export const tenantKeysRotateOptions = z.object({
  graceHours: z
    .preprocess(
      blankAsNaN,
      z.coerce.number({ message: "must be a number of hours" }).min(0, "must be 0 or more"),
    )
    .default(DEFAULT_KEY_GRACE_HOURS),
});

/** `tenant keys rotate [--grace-hours <h>]`: a new active signing key; the old one stays published. */
export async function runTenantKeysRotate(raw: unknown, ui: Ui, home = mcpEntraHome()): Promise<number> {
  const options = parseOptions(tenantKeysRotateOptions, raw);
  const { admin } = await ensureDevTenant({ home, ui });
  const result = await admin.rotateKeys(options.graceHours);
  if (ui.json) {
    ui.printJson(result);
    return 0;
  }
  ui.print(`New active signing key: ${result.active}`);
  for (const key of result.keys.filter((candidate) => !candidate.active)) {
    ui.print(`Still published until ${key.publishedUntil}: ${key.kid}`);
  }
  return 0;
}

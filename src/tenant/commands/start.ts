import { z } from "zod";
import { parseOptions } from "../../cli/validate.js";
import type { Ui } from "../../core/ui.js";
import { DEFAULT_TENANT_PORT, startDevTenant } from "../dev-tenant.js";

export const tenantStartOptions = z.object({
  port: z.coerce
    .number({ message: "must be a port number" })
    .int("must be a whole number")
    .min(0, "must be from 0 to 65535")
    .max(65535, "must be from 0 to 65535")
    .default(() => Number(process.env.MCP_ENTRA_TENANT_PORT || DEFAULT_TENANT_PORT)),
});

export async function runTenantStart(raw: unknown, ui: Ui): Promise<void> {
  const options = parseOptions(tenantStartOptions, raw);
  const tenant = await startDevTenant({ port: options.port });
  ui.print(`Dev tenant running at ${tenant.url} (tenant ${tenant.tenantId}, ${tenant.domain})`);
  ui.print(`Authority: ${tenant.urls.authority}`);
  ui.print(`CA file:   ${tenant.caFile}`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await tenant.stop();
}

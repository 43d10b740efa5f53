import { z } from "zod";
import { parseOptions } from "../core/parse-options.js";
import { isGuid } from "./well-known.js";

/** `--tenant`: dev, a tenant id (GUID) or a domain; every command that takes it checks it the same way. */
export const tenantFlag = z
  .string()
  .trim()
  .refine((value) => value === "dev" || isGuid(value) || /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(value), {
    message: "must be dev, a tenant id (GUID) or a domain such as contoso.onmicrosoft.com",
  });

/** The --tenant value checked before anything runs (a usage error naming the flag), or undefined. */
export function checkTenantFlag(value: unknown): string | undefined {
  return parseOptions(z.object({ tenant: tenantFlag.optional() }), { tenant: value }).tenant;
}

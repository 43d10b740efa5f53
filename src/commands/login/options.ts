import { z } from "zod";
import { LOGIN_METHODS } from "../../entra/login/user-settings.js";
import { tenantFlag } from "../../entra/tenant-flag.js";
import { isGuid } from "../../entra/well-known.js";

/** The options of `mcp-entra login`, as commander hands them over, validated. */
export const loginOptionsSchema = z.object({
  tenant: tenantFlag.default("dev"),
  method: z.enum(LOGIN_METHODS, { message: `must be one of ${LOGIN_METHODS.join(", ")}` }).optional(),
  clientId: z.string().trim().refine(isGuid, "must be a GUID (the app registration's client id)").optional(),
  clientSecret: z.string().min(1).optional(),
  certificate: z.string().trim().min(1).optional(),
  federatedTokenFile: z.string().trim().min(1).optional(),
  user: z.string().trim().min(1).optional(),
  createApp: z.boolean().default(false),
});

import { z } from "zod";
import { tenantFlag } from "../entra/tenant-flag.js";
import { TEMPLATES } from "./registry.js";
import { port, projectName, serverUrl, type TemplateVariable } from "./variables.js";

/** Everything `mcp-entra init` accepts; what is missing is asked for (see init-answers.ts). */

/** A flag checked by the template variable it fills, so flags and prompts accept the same values. */
function checkedBy(variable: TemplateVariable) {
  return z
    .string()
    .trim()
    .superRefine((value, context) => {
      const problem = variable.validate(value);
      if (problem) context.addIssue({ code: "custom", message: problem });
    });
}

export const initOptionsSchema = z.object({
  /** The folder to create (default: the project name, in the current folder). */
  dir: z.string().trim().min(1, "must not be empty").optional(),
  name: checkedBy(projectName).optional(),
  template: z
    .string()
    .trim()
    .refine((value) => TEMPLATES.some((template) => template.name === value), {
      message: `must be one of ${TEMPLATES.map((template) => template.name).join(", ")}`,
    })
    .optional(),
  port: z.coerce.string().pipe(checkedBy(port)).optional(),
  serverUrl: checkedBy(serverUrl).optional(),
  /** Run `register` with the template's preset after rendering (asked when undefined). */
  register: z.boolean().optional(),
  /** Run `npm install` in the new folder (asked when undefined). */
  install: z.boolean().optional(),
  force: z.boolean().default(false),
  /** The tenant `register` uses: dev, a tenant id or a domain (default: the remembered one, else dev). */
  tenant: tenantFlag.optional(),
});

export type InitOptions = z.output<typeof initOptionsSchema>;

/** The project name a new folder gets when none is given, and the folder a name gets. */
export const DEFAULT_PROJECT_NAME = "my-mcp-server";

/** The template `--yes` takes when none is named. */
export const DEFAULT_TEMPLATE = "remote";

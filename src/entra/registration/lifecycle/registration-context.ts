import { join, relative, resolve } from "node:path";
import { z } from "zod";
import { OperationError, UsageError } from "../../../core/errors.js";
import {
  PROJECT_CONFIG_FILE,
  type ProjectApp,
  type ProjectConfig,
  readProjectConfig,
  writeProjectConfig,
} from "../../../core/project-config.js";
import type { Ui } from "../../../core/ui.js";
import type { GraphApi } from "../../graph-api.js";
import type { retryPolicy } from "../../graph-retry.js";
import type { TenantTarget } from "../../tenant-target.js";
import { PRESETS } from "../model.js";
import { registrationGraph } from "../registration-graph.js";
import { pickRegistration } from "./pick-registration.js";

/** What every lifecycle command (app show/delete, secret rotate/list) gets to work with. */
export interface LifecycleDeps {
  ui: Ui;
  /** The tenant to work on; `recorded` is the one mcp-entra.json names (the default target). */
  target: (recorded: ProjectConfig["tenant"]) => Promise<TenantTarget>;
  /** Overrides for the retry policy (tests). */
  retry?: Parameters<typeof retryPolicy>[0];
}

/** The flags that pick a registration: --dir, --preset, --key. */
export const selectionSchema = z.object({
  dir: z.string().default("."),
  preset: z.enum(PRESETS, { message: `must be one of ${PRESETS.join(", ")}` }).optional(),
  key: z.string().trim().min(1, "must not be empty").optional(),
});

export interface OpenedRegistration {
  dir: string;
  config: ProjectConfig;
  /** The registration's key in mcp-entra.json. */
  key: string;
  record: ProjectApp;
  target: TenantTarget;
  graph: GraphApi;
  envPath: string;
}

/** Reads mcp-entra.json, picks the registration, resolves the tenant and opens Graph. */
export async function openRegistration(
  selection: z.output<typeof selectionSchema>,
  deps: LifecycleDeps,
  options: { dryRun?: boolean } = {},
): Promise<OpenedRegistration> {
  const { ui } = deps;
  const dir = resolve(selection.dir);
  const config = await readProjectConfig(dir);
  const key = await pickRegistration(config, selection, ui, join(dir, PROJECT_CONFIG_FILE));
  const target = await deps.target(config.tenant);
  if (config.tenant && config.tenant.id !== target.tenantId) {
    throw new UsageError(
      "TENANT_MISMATCH",
      `mcp-entra.json records tenant ${config.tenant.id}, but this command targets ${target.label} (tenant ${target.tenantId}).`,
      {
        suggestion:
          config.tenant.kind === "dev"
            ? "the dev tenant was reset or its home changed: run `mcp-entra register` again to register there."
            : `pass --tenant ${config.tenant.id} (after \`mcp-entra login --tenant ${config.tenant.id}\`).`,
      },
    );
  }
  const graph = registrationGraph(target, { ui, retry: deps.retry, dryRun: options.dryRun ?? false });
  return { dir, config, key, record: config.apps[key]!, target, graph, envPath: join(dir, ".env") };
}

/** Writes mcp-entra.json back. */
export function saveConfig(opened: OpenedRegistration): Promise<boolean> {
  return writeProjectConfig(opened.dir, opened.config);
}

/** The app recorded in mcp-entra.json is not in the tenant: exit 1, and how to get it back. */
export function appNotFound(opened: OpenedRegistration): OperationError {
  const { record, key, target } = opened;
  const where = relative(process.cwd(), opened.dir);
  return new OperationError(
    "APP_NOT_FOUND",
    `The ${key} registration "${record.displayName}"${record.appId ? ` (appId ${record.appId})` : ""} recorded in mcp-entra.json is not in ${target.label}.`,
    {
      suggestion: `run \`mcp-entra register --preset ${record.preset}${where ? ` --dir ${where}` : ""}\` to create it again.`,
    },
  );
}

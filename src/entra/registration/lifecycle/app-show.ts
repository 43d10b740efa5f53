import { readEnvFile } from "../../../core/env-file.js";
import { parseOptions } from "../../../core/parse-options.js";
import { graphPermissionsFor } from "../../graph-permissions.js";
import { secretVariable } from "../project-outputs.js";
import { desiredFromRecord, registerOptionsFromRecord } from "../recorded-flags.js";
import { type Drift, registrationDrift } from "./drift.js";
import {
  appNotFound,
  type LifecycleDeps,
  type OpenedRegistration,
  openRegistration,
  selectionSchema,
} from "./registration-context.js";
import { readTenantRegistration, type TenantRegistration } from "./tenant-registration.js";

export interface AppShowResult {
  opened: OpenedRegistration;
  tenant: TenantRegistration;
  drift: Drift;
  /** The .env variable that holds the secret, and whether it has a value. */
  secretVariable: string;
  secretInEnv: boolean;
}

/**
 * `mcp-entra app show`: the registration as the tenant has it, and its drift from what register
 * would make of the recorded registration (mcp-entra.json, its flags and register's defaults).
 * The app missing from the tenant is a failure (exit 1) that says how to create it again.
 */
export async function runAppShow(raw: Record<string, unknown>, deps: LifecycleDeps): Promise<AppShowResult> {
  const options = parseOptions(selectionSchema, raw);
  const opened = await openRegistration(options, deps);
  const spinner = await deps.ui.spinner(`Reading the ${opened.key} registration in ${opened.target.label}`);
  let tenant: TenantRegistration | undefined;
  try {
    tenant = await readTenantRegistration(opened.graph, opened.record);
  } finally {
    spinner.stop();
  }
  if (!tenant) throw appNotFound(opened);
  const graphPermissions =
    tenant.graphPermissions ??
    (await graphPermissionsFor(opened.graph, registerOptionsFromRecord(opened.record)));
  const desired = desiredFromRecord(opened.record, opened.key, graphPermissions);
  const variable = secretVariable(desired);
  const secretInEnv = Boolean((await readEnvFile(opened.envPath))[variable]);
  const drift = registrationDrift({ desired, tenant, record: opened.record, secretInEnv });
  return { opened, tenant, drift, secretVariable: variable, secretInEnv };
}

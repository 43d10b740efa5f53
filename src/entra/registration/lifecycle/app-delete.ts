import { z } from "zod";
import { parseOptions } from "../../../core/parse-options.js";
import type { Ui } from "../../../core/ui.js";
import type { GraphApi, GraphWrite } from "../../graph-api.js";
import { graphFailure } from "../../graph-failure.js";
import { findServicePrincipal } from "../steps/service-principal.js";
import { removeFromProject, variablesToRemove } from "./project-cleanup.js";
import {
  type LifecycleDeps,
  type OpenedRegistration,
  openRegistration,
  saveConfig,
  selectionSchema,
} from "./registration-context.js";
import { readTenantRegistration } from "./tenant-registration.js";

export const appDeleteSchema = selectionSchema.extend({ dryRun: z.boolean().default(false) });

export interface AppDeleteResult {
  opened: OpenedRegistration;
  dryRun: boolean;
  /** False when the person declined at the prompt: nothing was changed. */
  confirmed: boolean;
  /** Whether the app was still in the tenant. */
  foundInTenant: boolean;
  writes: GraphWrite[];
  removedVariables: string[];
  warnings: string[];
}

/**
 * `mcp-entra app delete`: removes the app's consents and role assignments, deletes the application
 * (Graph deletes its service principal with it; one it leaves behind is deleted too), then removes
 * the registration from mcp-entra.json and its variables from .env. Asks first unless --yes; without
 * a terminal and without --yes it is a usage error naming --yes. Safe to run again after a failure.
 */
export async function runAppDelete(
  raw: Record<string, unknown>,
  deps: LifecycleDeps,
): Promise<AppDeleteResult> {
  const options = parseOptions(appDeleteSchema, raw);
  const opened = await openRegistration(options, deps, { dryRun: options.dryRun });
  const { graph, record, target, config, key } = opened;
  const tenant = await readTenantRegistration(graph, record);
  const remaining = Object.entries(config.apps).filter(([other]) => other !== key);
  const removedVariables = await variablesToRemove(
    opened.envPath,
    record,
    remaining.map(([, app]) => app),
  );
  const result: AppDeleteResult = {
    opened,
    dryRun: options.dryRun,
    confirmed: true,
    foundInTenant: Boolean(tenant),
    writes: graph.writes,
    removedVariables,
    warnings: remaining
      .filter(([, app]) => record.appId && app.apiAppId === record.appId)
      .map(
        ([other]) => `the ${other} registration's API is this app: its CI app role assignment goes with it.`,
      ),
  };
  if (!options.dryRun && !deps.ui.yes) {
    result.confirmed = await confirm(deps.ui, record.displayName, tenant ? target.label : undefined);
    if (!result.confirmed) return result;
  }

  const spinner = await deps.ui.spinner(`Deleting ${record.displayName} from ${target.label}`);
  try {
    if (tenant) {
      const sp = tenant.servicePrincipal;
      for (const grant of tenant.grants) {
        await deleteIfPresent(graph, {
          method: "DELETE",
          path: `/oauth2PermissionGrants/${grant.id}`,
          purpose: `remove the ${grant.consentType === "AllPrincipals" ? "admin" : "user"} consent to ${grant.resourceName} ${grant.scope}`,
        });
      }
      for (const assignment of tenant.roleAssignments) {
        await deleteIfPresent(graph, {
          method: "DELETE",
          path: `/servicePrincipals/${sp!.id}/appRoleAssignments/${assignment.id}`,
          purpose: `remove the app role ${assignment.roleValue} of ${assignment.resourceDisplayName}`,
        });
      }
      await deleteIfPresent(graph, {
        method: "DELETE",
        path: `/applications/${tenant.app.id}`,
        purpose: "delete the application (Graph deletes its service principal with it)",
      });
    }
    const appId = tenant?.app.appId ?? record.appId;
    const leftover = appId && !options.dryRun ? await findServicePrincipal(graph, appId) : undefined;
    if (leftover) {
      await deleteIfPresent(graph, {
        method: "DELETE",
        path: `/servicePrincipals/${leftover.id}`,
        purpose: "delete the service principal the application left",
      });
    }
  } catch (error) {
    spinner.fail("Stopped; running the same command again finishes the deletion.");
    throw error;
  }
  spinner.stop();
  if (!options.dryRun) {
    await removeFromProject(config, key, opened.envPath, removedVariables);
    await saveConfig(opened);
  }
  return result;
}

async function confirm(ui: Ui, displayName: string, tenantLabel: string | undefined): Promise<boolean> {
  const answer = await ui.ask<string>({
    kind: "input",
    message: tenantLabel
      ? `This deletes "${displayName}" from ${tenantLabel} and from the project. Type its display name to confirm:`
      : `"${displayName}" is no longer in the tenant. Type its display name to remove it from mcp-entra.json and .env:`,
    flag: "--yes",
  });
  if (answer.trim() === displayName) return true;
  ui.print("Nothing deleted: the name did not match.");
  return false;
}

/** A DELETE that counts "already gone" (404) as done, so an interrupted run can be repeated. */
async function deleteIfPresent(graph: GraphApi, write: GraphWrite): Promise<void> {
  try {
    await graph.write(write);
  } catch (error) {
    if (graphFailure(error)?.status !== 404) throw error;
  }
}

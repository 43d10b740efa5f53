import { parseOptions } from "../../core/parse-options.js";
import type { ProjectApp } from "../../core/project-config.js";
import type { GraphPermissions } from "../graph-permissions.js";
import { sameJson } from "./application-diff.js";
import { desiredRegistration } from "./desired.js";
import type { DesiredRegistration } from "./model.js";
import { type RegisterOptions, registerOptionsSchema } from "./options.js";

/**
 * The register flags a registration was made with, kept in mcp-entra.json (`flags`) so that the
 * lifecycle commands can compute what register would make of it again. Only flags that differ from
 * their defaults are kept; how register ran (--dir, --dry-run, …) and what the record holds anyway
 * (display name, server URL) are not.
 */
const NOT_RECORDED = new Set(["preset", "dir", "name", "serverUrl", "dryRun", "showSecret", "newSecret"]);

export function recordedFlags(options: RegisterOptions): Record<string, unknown> | undefined {
  const defaults: Record<string, unknown> = registerOptionsSchema.parse({ preset: options.preset });
  const flags = Object.fromEntries(
    Object.entries(options).filter(
      ([key, value]) => !NOT_RECORDED.has(key) && value !== undefined && !sameJson(value, defaults[key]),
    ),
  );
  return Object.keys(flags).length > 0 ? flags : undefined;
}

/** The register options that reproduce a recorded registration: the record, its flags, the defaults. */
export function registerOptionsFromRecord(app: ProjectApp): RegisterOptions {
  const isApi = app.preset === "remote" || app.preset === "proxy";
  const explicitAppIdUri =
    app.appIdUri && app.appIdUri !== `api://${app.appId}` && app.appIdUri !== app.serverUrl
      ? app.appIdUri
      : undefined;
  const raw: Record<string, unknown> = {
    preset: app.preset,
    name: app.displayName,
    api: app.apiAppId,
    ...(isApi
      ? {
          serverUrl: app.serverUrl,
          scope:
            app.scopes.length > 0
              ? app.scopes.map((scope) => scope.slice(scope.lastIndexOf("/") + 1))
              : undefined,
          role: app.roles,
          appIdUri: explicitAppIdUri,
        }
      : {}),
    ...app.flags,
  };
  return parseOptions(
    registerOptionsSchema,
    raw,
    "mcp-entra.json records this registration with values register no longer accepts: run `mcp-entra register` with the flags you want.",
  );
}

/**
 * What `mcp-entra register` would make of a recorded registration if it ran again. Without Graph's
 * permissions (read from the tenant) the registration's Graph permissions are left out: enough for
 * what concerns credentials only.
 */
export function desiredFromRecord(
  app: ProjectApp,
  key: string,
  graph?: GraphPermissions,
): DesiredRegistration {
  const recorded = registerOptionsFromRecord(app);
  const options = graph ? recorded : { ...recorded, graphPermission: [], graphAppPermission: [] };
  const desired = desiredRegistration(options, {
    projectName: app.displayName,
    uniqueName: app.uniqueName,
    apiAppId: app.apiAppId ?? options.api,
    graph,
    managedIdentity: app.managedIdentity && {
      identity: app.managedIdentity,
      issuer: app.managedIdentity.issuer,
    },
  });
  return { ...desired, key };
}

import { readEnvFile } from "../../../core/env-file.js";
import { parseOptions } from "../../../core/parse-options.js";
import type { Application, FederatedIdentityCredential } from "../../../tenant/directory/tenant-state.js";
import { secretVariable } from "../project-outputs.js";
import { findApplication } from "../steps/application.js";
import { type SecretStatus, secretStatuses } from "./credential-status.js";
import {
  appNotFound,
  type LifecycleDeps,
  type OpenedRegistration,
  openRegistration,
  selectionSchema,
} from "./registration-context.js";

export interface SecretListResult {
  opened: OpenedRegistration;
  app: Application;
  variable: string;
  secrets: SecretStatus[];
  federated: FederatedIdentityCredential[];
}

/** `mcp-entra secret list`: every credential of the app — ids, hints, dates — never a value. */
export async function runSecretList(
  raw: Record<string, unknown>,
  deps: LifecycleDeps,
): Promise<SecretListResult> {
  const opened = await openRegistration(parseOptions(selectionSchema, raw), deps);
  const { graph, record } = opened;
  const app = await findApplication(graph, { appId: record.appId, uniqueName: record.uniqueName });
  if (!app) throw appNotFound(opened);
  const federated = await graph.list<FederatedIdentityCredential>(
    `/applications/${app.id}/federatedIdentityCredentials`,
  );
  const variable = secretVariable(record);
  const secretInEnv = Boolean((await readEnvFile(opened.envPath))[variable]);
  return { opened, app, variable, secrets: secretStatuses(app, record, secretInEnv), federated };
}

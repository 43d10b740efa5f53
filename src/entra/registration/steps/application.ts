import type { Application } from "../../../tenant/directory/tenant-state.js";
import type { GraphApi } from "../../graph-api.js";
import { graphFailure } from "../../graph-failure.js";
import { applicationCreateBody, applicationPatches } from "../application-diff.js";
import type { DesiredRegistration } from "../model.js";

export interface EnsuredApplication {
  app: Application;
  created: boolean;
}

/** Finds the app by the appId mcp-entra.json recorded, else by its uniqueName. */
export async function findApplication(
  graph: GraphApi,
  known: { appId?: string; uniqueName: string },
): Promise<Application | undefined> {
  if (known.appId) {
    const byAppId = await graph.get<Application>(`/applications(appId='${known.appId}')`);
    if (byAppId) return byAppId;
  }
  return graph.get<Application>(`/applications(uniqueName='${encodeURIComponent(known.uniqueName)}')`);
}

/**
 * Creates the application when it does not exist — as an upsert on its uniqueName, so an
 * interrupted run can never leave two — then applies the PATCHes that remain.
 */
export async function ensureApplication(
  graph: GraphApi,
  desired: DesiredRegistration,
  known: { appId?: string },
  ownerIds: string[],
): Promise<EnsuredApplication> {
  let app = await findApplication(graph, { appId: known.appId, uniqueName: desired.uniqueName });
  let created = false;
  if (!app) {
    const { uniqueName: _key, ...body } = applicationCreateBody(desired, ownerIds);
    const path = `/applications(uniqueName='${encodeURIComponent(desired.uniqueName)}')`;
    let answer: Application | undefined;
    try {
      answer = await graph.write<Application | undefined>({
        method: "PATCH",
        path,
        body,
        headers: { Prefer: "create-if-missing" },
        purpose: "create the application",
        simulated: simulatedApplication(body, desired.uniqueName),
      });
    } catch (error) {
      // The app exists after all: an earlier (interrupted) run created it moments ago and the read
      // above did not see it yet. It is read back below, waiting out the replication delay.
      if (!existsAlready(error)) throw error;
    }
    // 201 returns the new object; otherwise another run created it first: read it back.
    created = Boolean(answer?.id);
    app = answer?.id ? answer : await graph.get<Application>(path, { replication: true });
    if (!app) throw new Error(`Graph did not return the application ${desired.uniqueName}`);
  }
  for (const patch of applicationPatches(desired, app)) {
    await graph.write({
      method: "PATCH",
      path: `/applications/${app.id}`,
      body: patch.body,
      purpose: patch.reason,
      replication: true,
    });
    app = { ...app, ...(patch.body as Partial<Application>) };
  }
  return { app, created };
}

/**
 * How Graph refuses an upsert of an app that exists: 409 while the new app is still replicating, or —
 * once it is visible, the upsert being an update then — 400 for `owners@odata.bind`, which only a
 * create may set.
 */
function existsAlready(error: unknown): boolean {
  const failure = graphFailure(error);
  if (failure?.status === 409) return true;
  return failure?.status === 400 && /owners@odata\.bind/.test(failure.message);
}

/** What a dry run assumes Graph would answer to the create: the body with Graph's defaults. */
function simulatedApplication(body: Record<string, unknown>, uniqueName: string): Application {
  const api = body.api as Partial<Application["api"]>;
  return {
    id: "<new object id>",
    appId: "<new appId>",
    uniqueName,
    identifierUris: [],
    requiredResourceAccess: [],
    passwordCredentials: [],
    keyCredentials: [],
    appRoles: [],
    ...(body as Partial<Application>),
    api: {
      requestedAccessTokenVersion: null,
      acceptMappedClaims: null,
      knownClientApplications: [],
      oauth2PermissionScopes: [],
      preAuthorizedApplications: [],
      ...api,
    },
  } as Application;
}

import { resolve } from "node:path";
import { z } from "zod";
import { parseOptions } from "../core/parse-options.js";
import { mcpEntraHome } from "../core/paths.js";
import type { Ui } from "../core/ui.js";
import type { DevTenantHandle } from "../tenant/server/ensure.js";
import type { TestFlowReport } from "../test-flow/report/report.js";
import type { QuickstartProject } from "./quickstart-project.js";
import type { ServerBuild } from "./server-build.js";

export const quickstartOptionsSchema = z.object({
  dir: z.string().trim().min(1, "must not be empty").default("mcp-entra-quickstart"),
});

export interface QuickstartResult {
  tenant: DevTenantHandle;
  project: QuickstartProject;
  /** How the server that ran was built, and whose packages it used. */
  build: ServerBuild;
  /** test-flow as a current client: 2026-07-28, signed in fresh, with every probe. */
  report: TestFlowReport;
  /** test-flow as a 2025-11-25 client (the `initialize` handshake), reusing that sign-in. */
  legacyReport?: TestFlowReport;
  /** auto-approve was switched on for the run (and back off after it). */
  autoApproveSwitched: boolean;
}

/**
 * `mcp-entra quickstart`: from nothing to a green end-to-end flow on the dev tenant — start the
 * tenant, scaffold and register a `remote` server, get its build ready (without npm install: see
 * server-build.ts), run it, and drive it with test-flow (headless sign-in, --probe) on revision
 * 2026-07-28, then once more as a 2025-11-25 client (the server serves both), then stop the server.
 * Safe to re-run.
 */
export async function runQuickstart(
  raw: Record<string, unknown>,
  deps: { ui: Ui; clientVersion: string; home?: string },
): Promise<QuickstartResult> {
  const { ui } = deps;
  const options = parseOptions(quickstartOptionsSchema, raw);
  const home = deps.home ?? mcpEntraHome();
  const dir = resolve(options.dir);
  // Nothing waits that need not: the tenant process starts first, and while it starts this process
  // loads the rest of quickstart (test-flow, the MCP SDK, msal) and renders the project.
  const { ensureDevTenant } = await import("../tenant/server/ensure.js");
  const tenantReady = ensureDevTenant({ home, ui });
  tenantReady.catch(() => undefined); // awaited below; a failure is reported from there
  const [
    { updateEnvFile },
    { devTenantTarget },
    { VSCODE_CLIENT_ID },
    { runTestFlow },
    { parseTestFlowOptions },
    { spinnerProgress },
    { prepareProject },
    { prepareServerBuild },
    { startBuiltServer },
  ] = await Promise.all([
    import("../core/env-file.js"),
    import("../entra/login/dev-tenant-target.js"),
    import("../entra/well-known.js"),
    import("../test-flow/flow.js"),
    import("../test-flow/options.js"),
    import("../test-flow/report/report-text.js"),
    import("./quickstart-project.js"),
    import("./server-build.js"),
    import("./server-process.js"),
  ]);
  const project = await prepareProject(dir, {
    ui,
    target: async () => devTenantTarget(await tenantReady, home),
  }).catch(async (error: unknown) => {
    await tenantReady; // a tenant that did not start is the problem to report
    throw error;
  });
  const tenant = await tenantReady;
  await updateEnvFile(resolve(dir, ".env"), { PORT: new URL(project.serverUrl).port });
  const build = await prepareServerBuild(dir, ui);

  // Headless sign-in needs a tenant that signs in without a page: auto-approve, for this run only.
  const before = (await tenant.admin.status()).autoApprove;
  const autoApproveSwitched = !before;
  if (autoApproveSwitched) await tenant.admin.setAutoApprove(true);
  const server = await startBuiltServer(dir, new URL(project.serverUrl).origin, { caFile: tenant.caFile });
  const flowDeps = {
    ui,
    home,
    personPresent: false,
    openUrl: async () => undefined,
    progress: ui.json ? undefined : spinnerProgress(ui),
    clientVersion: deps.clientVersion,
  };
  const flow = (options: Record<string, unknown>) =>
    runTestFlow(
      parseTestFlowOptions({
        serverUrl: project.serverUrl,
        auth: "headless",
        // Sign in as Visual Studio Code: register pre-authorized it, so this also proves VS Code users
        // get a token for the server without a consent page.
        clientId: VSCODE_CLIENT_ID,
        // whoami reaches Microsoft Graph on-behalf-of the user: the server's secret, its Graph
        // permission and the admin consent are all proven, not only the token validation.
        tool: "whoami",
        // http://localhost is no verified domain, so the Application ID URI is api://{appId}, and
        // Entra (like the dev tenant) refuses a `resource` that differs from it: AADSTS9010010.
        resource: false,
        caFile: [tenant.caFile],
        ...options,
      }),
      flowDeps,
    );
  let report: TestFlowReport;
  let legacyReport: TestFlowReport | undefined;
  try {
    report = await flow({ protocol: "2026-07-28", probe: true, fresh: true });
    // The same server to a client of the previous revision, with the token just stored.
    if (report.exitCode === 0) legacyReport = await flow({ protocol: "2025-11-25" });
  } finally {
    await server.stop();
    if (autoApproveSwitched) await tenant.admin.setAutoApprove(null);
  }
  return { tenant, project, build, report, legacyReport, autoApproveSwitched };
}

import type { Ui } from "../core/ui.js";
import { DEFAULT_TEST_PASSWORD } from "../tenant/directory/seed.js";
import type { TestFlowReport } from "../test-flow/report/report.js";
import { renderReportText } from "../test-flow/report/report-text.js";
import type { QuickstartResult } from "./run-quickstart.js";
import type { ServerBuild } from "./server-build.js";

export interface NextStep {
  title: string;
  command: string;
}

/** The server trusts the dev tenant's CA through NODE_EXTRA_CA_CERTS, set before it starts. */
const START_ON_DEV_TENANT = `eval "$(npx mcp-entra tenant env)" && npm start`;

export function quickstartNextSteps(result: QuickstartResult): NextStep[] {
  const { dir, serverUrl } = result.project;
  const relative = dir.startsWith(process.cwd()) ? dir.slice(process.cwd().length + 1) || "." : dir;
  const installed = result.build.packagesFrom === "project";
  return [
    installed
      ? { title: "Run the server", command: `cd ${relative} && ${START_ON_DEV_TENANT}` }
      : {
          title: "Install the project's packages (TypeScript and Vitest too), then run the server",
          command: `cd ${relative} && npm install && ${START_ON_DEV_TENANT}`,
        },
    {
      title: `Use it from VS Code (.vscode/mcp.json points at ${serverUrl}; sign in as a test user, password ${DEFAULT_TEST_PASSWORD})`,
      command: `code ${relative}`,
    },
    {
      title: "Test it again, with every probe",
      command: `npx mcp-entra test-flow ${serverUrl} --auth device-code --probe --no-resource`,
    },
    {
      title:
        "Target a real tenant (through the Azure CLI's sign-in or Microsoft Graph Command Line Tools: no app of your own), then register on an https URL",
      command:
        "npx mcp-entra login --tenant <tenant> && npx mcp-entra register --preset remote --server-url https://<host>/mcp",
    },
    {
      title:
        "Add a smoke check to CI: register a CI app, then set the repository variables MCP_SERVER_URL and ENTRA_CI_CLIENT_ID (its client id); .github/workflows/ci.yml runs test-flow with them",
      command: "npx mcp-entra register --preset ci --github-repo <owner>/<repo>",
    },
  ];
}

/** quickstart passes when both clients passed: the current revision's and the 2025-11-25 one's. */
export function quickstartExitCode(result: QuickstartResult): number {
  return result.report.exitCode || (result.legacyReport?.exitCode ?? 0);
}

export function quickstartJson(result: QuickstartResult) {
  const app = result.project.registration.outcome.app;
  return {
    ok: quickstartExitCode(result) === 0,
    tenant: { url: result.tenant.url, id: result.tenant.tenantId, domain: result.tenant.domain },
    project: {
      dir: result.project.dir,
      created: result.project.created,
      serverUrl: result.project.serverUrl,
      installed: result.build.packagesFrom === "project",
    },
    server: result.build,
    app: { displayName: app.displayName, appId: app.appId, identifierUris: app.identifierUris },
    report: result.report,
    legacyReport: result.legacyReport ?? null,
    nextSteps: quickstartNextSteps(result),
  };
}

export function renderQuickstart(result: QuickstartResult, ui: Ui): void {
  if (ui.json) {
    ui.printJson(quickstartJson(result));
    return;
  }
  const c = ui.color;
  const { project, tenant, report } = result;
  const app = project.registration.outcome.app;
  ui.print();
  renderReportText(report, ui);
  if (result.legacyReport) renderLegacyRun(result.legacyReport, ui);
  ui.print();
  const passed = quickstartExitCode(result) === 0;
  ui.print(
    passed
      ? c.green.bold("✔ Quickstart passed end to end.")
      : c.red.bold("✖ Quickstart: a step failed (see above)."),
  );
  ui.print(`  Dev tenant    ${tenant.url} (${tenant.domain})`);
  ui.print(`  App           ${app.displayName} — client id ${app.appId}, ${app.identifierUris[0] ?? ""}`);
  ui.print(
    `  Project       ${project.dir}${project.created ? " (new)" : ""} — .env (0600, git-ignored), mcp-entra.json`,
  );
  ui.print(`  Server        ${project.serverUrl} (stopped again) — ${serverOrigin(result.build)}`);
  ui.print(
    c.dim(
      "  Note: http://localhost is not a verified domain, so the Application ID URI is api://<appId> and the flow ran\n" +
        "  with --no-resource (Entra refuses a resource that differs from it, AADSTS9010010). On an https URL of a\n" +
        "  verified domain, register --server-url makes them equal and clients keep sending resource.",
    ),
  );
  if (result.autoApproveSwitched)
    ui.print(c.dim("  The dev tenant's auto-approve mode was on for this run only."));
  ui.print();
  ui.print(c.bold("Next steps"));
  for (const step of quickstartNextSteps(result)) {
    ui.print(`  • ${step.title}`);
    ui.print(`      ${c.cyan(step.command)}`);
  }
}

/** The 2025-11-25 client's run: one line when it passed, the whole report when it did not. */
function renderLegacyRun(legacy: TestFlowReport, ui: Ui): void {
  ui.print();
  if (legacy.exitCode !== 0) {
    renderReportText(legacy, ui);
    return;
  }
  const mcpSteps = legacy.steps.filter((step) => ["session", "tools-list", "tools-call"].includes(step.id));
  const summary = mcpSteps.map((step) => `${step.title} ${step.durationMs} ms`).join(", ");
  ui.print(
    `${ui.color.green("✔")} ${ui.color.bold(`As a ${legacy.protocol.version ?? "2025-11-25"} client`)} (the initialize handshake, the same sign-in): ${summary}`,
  );
}

function serverOrigin(build: ServerBuild): string {
  if (build.packagesFrom === "mcp-entra") {
    return "mcp-entra's build of it, run with mcp-entra's packages: npm install there, then npm start";
  }
  if (build.builtBy === "project") return "its own build; start it with npm start";
  if (build.builtBy === "as found") return "its dist/ as found (no TypeScript installed to rebuild it)";
  return "mcp-entra's build of it; start it with npm start";
}

import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { TestFlowReport } from "../../../src/mcp/report.js";
import { TenantAdminClient } from "../../../src/tenant/index.js";
import { useDevTenant } from "../../helpers/dev-tenant.js";
import { childEnv } from "../../helpers/generated-project.js";
import { expectValidReport } from "../../helpers/report-schema.js";
import { SignInDriver } from "../../helpers/sign-in-driver.js";
import { useTemplateProject } from "../../helpers/template-project.js";
import { runFlow, step } from "../../helpers/test-flow.js";

/**
 * `test-flow --stdio` against the scaffolded `local` server (registered with `register --preset
 * local` in a dev tenant): test-flow starts `node dist/main.js` in the project, speaks MCP over its
 * stdin and stdout, and the server signs in to the tenant itself with the device code flow — a
 * person at /devicelogin, or auto-approve. Each run has a token cache of its own (fresh sign-in).
 */
describe("test-flow --stdio against the local template on a dev tenant", () => {
  // test-flow starts the server with its own environment, which trusts this CA (test/setup/dev-tenant-ca.ts).
  const tenant = useDevTenant(undefined, { trustedCa: true });
  const project = useTemplateProject(tenant, { template: "local" });
  const admin = () => TenantAdminClient.for(tenant().url, tenant().adminToken, tenant().caPem);
  const adele = () => `adele@${tenant().domain}`;
  let runs = 0;
  const flow = (options: Record<string, unknown>, deps = {}) =>
    runFlow(
      { stdio: "node dist/main.js", cwd: project().dir, home: project().home, ...options },
      {
        // A token cache of this run's own: the server has to sign in.
        serverEnv: childEnv({ ENTRA_TOKEN_CACHE_FILE: join(project().scratch, `cache-${++runs}.json`) }),
        ...deps,
      },
    );
  const expectNoToken = (report: TestFlowReport, output: string) => {
    expect(`${JSON.stringify(report)}\n${output}`).not.toMatch(/eyJ[\w-]+\.eyJ/);
  };

  afterEach(() => admin().setAutoApprove(null));

  it("a person signs in with the device code the server shows; whoami answers as that person", async () => {
    const driver = new SignInDriver({ caPem: tenant().caPem, user: adele() });
    const told: string[] = [];
    let approval: Promise<unknown> | undefined;
    const { report, output } = await flow(
      { tool: "whoami" },
      {
        personPresent: true,
        progress: {
          started() {},
          finished() {},
          // What the person sees (once, however many ways the server words it); they type the code
          // on /devicelogin.
          interrupt(text: string) {
            told.push(text);
            const [, url, code] = /(https:\/\/\S+?)[.,]?\s.*enter the code ([A-Z0-9]+)/.exec(text) ?? [];
            if (url && code && !approval) approval = driver.approveDeviceCode(url, code);
          },
        },
      },
    );
    expectValidReport(report);
    expect(report.exitCode, output).toBe(0);
    expect(report).toMatchObject({
      transport: "stdio",
      stdio: { command: ["node", "dist/main.js"], cwd: project().dir },
      signIn: null,
    });
    expect(report.steps.map((s) => `${s.id}#${s.attempt} ${s.status}`)).toEqual([
      "spawn#1 passed",
      "initialize#1 passed",
      "tools-list#1 passed",
      "tools-call#1 retried",
      "server-sign-in#1 passed",
      "tools-call#2 passed",
    ]);
    await expect(approval).resolves.toMatchObject({ kind: "page", step: "device-done" });
    expect(step(report, "initialize").evidence.server).toBe("local-flow 0.1.0");
    expect(step(report, "tools-list").evidence.tools).toEqual(["whoami", "my_organization"]);
    // The device code message reached the person once, though the server wrote it on stderr and
    // answered the tool call with it too.
    expect(told.join("\n")).toContain(`${tenant().url}/devicelogin`);
    const code = /enter the code ([A-Z0-9]+)/.exec(told.join("\n"))?.[1];
    expect(told.filter((line) => code && line.includes(code))).toHaveLength(1);
    expect(step(report, "server-sign-in").evidence.person).toBe("present (terminal)");
    expect(step(report, "server-sign-in").evidence.instructions).toEqual(
      expect.arrayContaining([expect.stringContaining(`${tenant().url}/devicelogin`)]),
    );
    expect(step(report, "tools-call", 2).evidence.text).toContain(adele());
    expectNoToken(report, `${output}\n${told.join("\n")}`);
  }, 90_000);

  it("without a person, an auto-approving tenant lets the server sign in: whoami is called", async () => {
    await admin().setAutoApprove("adele");
    const { report, output } = await flow({ tool: "whoami", timeout: "60" });
    expectValidReport(report);
    expect(report.exitCode, output).toBe(0);
    const calls = report.steps.filter((s) => s.id === "tools-call");
    expect(calls.at(-1)).toMatchObject({ status: "passed", evidence: { tool: "whoami" } });
    expect(calls.at(-1)?.evidence.text).toContain(adele());
    // The device code message is shown to whoever reads stderr, even though nobody had to act on it.
    expect(output).toContain("The server asks for a sign-in:");
    expect(output).toContain(`${tenant().url}/devicelogin`);
    expectNoToken(report, output);
  }, 90_000);

  it("without a person and without auto-approve: exit 3 before --timeout, saying why", async () => {
    const { report, output } = await flow({ timeout: "10" });
    expectValidReport(report);
    expect(report).toMatchObject({ exitCode: 3, outcome: "sign-in-required" });
    expect(step(report, "tools-call").evidence.tool).toBe("whoami");
    expect(step(report, "tools-call").status).toBe("retried");
    const signIn = step(report, "server-sign-in");
    expect(signIn).toMatchObject({ status: "failed", error: { code: "SERVER_SIGN_IN_REQUIRED" } });
    expect(signIn.summary).toContain("nobody can here (no terminal)");
    expect(signIn.evidence.person).toBe("none (no terminal)");
    // Ended by the unattended sign-in bound, not by --timeout.
    expect(report.steps.map((s) => s.error?.code).filter(Boolean)).toEqual(["SERVER_SIGN_IN_REQUIRED"]);
    expect(output).toContain("Sign-in required at Sign-in by the server (exit code 3).");
    expectNoToken(report, output);
  }, 60_000);

  it("a server that exits at once: exit 1, its stderr in the report with the tokens scrubbed", async () => {
    const { appId } = await project().app("local");
    const { access_token } = await tenant().issueToken({
      clientId: appId,
      scope: "https://graph.microsoft.com/User.Read",
      user: adele(),
    });
    const script = [
      "console.error('config: ENTRA_CLIENT_ID is missing');",
      "console.error('debug: access_token=' + process.env.LEAKED + ' or ' + process.env.LEAKED);",
      "process.exit(1);",
    ].join(" ");
    const { report, output } = await flow(
      { stdio: `node -e "${script}"` },
      { serverEnv: childEnv({ LEAKED: access_token }) },
    );
    expectValidReport(report);
    expect(report).toMatchObject({ exitCode: 1, outcome: "failed" });
    expect(report.steps.map((s) => `${s.id} ${s.status}`)).toEqual([
      "spawn passed",
      "initialize failed",
      "tools-list skipped",
      "tools-call skipped",
    ]);
    const initialize = step(report, "initialize");
    expect(initialize.error?.code).toBe("SERVER_EXITED");
    expect(initialize.evidence.stderr).toEqual([
      "config: ENTRA_CLIENT_ID is missing",
      "debug: access_token=[redacted] or [redacted token]",
    ]);
    expect(output).toContain("config: ENTRA_CLIENT_ID is missing");
    expect(`${JSON.stringify(report)}\n${output}`).not.toContain(access_token);
  }, 30_000);
});

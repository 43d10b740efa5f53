import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDoctor } from "../../../src/entra/doctor/run-doctor.js";
import { GraphApi } from "../../../src/entra/graph-api.js";
import { retryPolicy } from "../../../src/entra/graph-retry.js";
import { VSCODE_CLIENT_ID } from "../../../src/entra/well-known.js";
import { TenantAdminClient } from "../../../src/tenant/index.js";
import type { TestFlowReport } from "../../../src/test-flow/report/report.js";
import { devTarget } from "../../helpers/dev-target.js";
import { useDevTenant } from "../../helpers/dev-tenant.js";
import { appOnlyGraphClient, delegatedGraphClient } from "../../helpers/graph.js";
import { expectValidReport } from "../../helpers/report-schema.js";
import { SignInDriver } from "../../helpers/sign-in-driver.js";
import { useTemplateProject } from "../../helpers/template-project.js";
import { runFlow, step } from "../../helpers/test-flow.js";

/**
 * test-flow against the scaffolded `remote` server, registered with the real `register` in a dev tenant:
 * every sign-in method, --probe, and the misconfigurations people hit, provoked for real and explained.
 *
 * The server runs on http://localhost, which cannot be an Application ID URI (no verified domain), so
 * flows that should pass run with --no-resource (see "Application ID URI ≠ resource" below).
 */
describe("test-flow against the remote template on a dev tenant", () => {
  const tenant = useDevTenant();
  const project = useTemplateProject(tenant, {
    template: "remote",
    presets: [{ preset: "remote" }, { preset: "ci" }, { preset: "local", client: true }],
  });
  const admin = () => TenantAdminClient.for(tenant().url, tenant().adminToken, tenant().caPem);
  const adele = () => `adele@${tenant().domain}`;
  const flow = (options: Record<string, unknown>, deps = {}) =>
    runFlow(
      { serverUrl: project().url, home: project().home, fresh: true, resource: false, ...options },
      deps,
    );
  const headless = (options: Record<string, unknown> = {}) =>
    flow({ auth: "headless", clientId: VSCODE_CLIENT_ID, ...options });
  const clientCredentials = async (options: Record<string, unknown> = {}) => {
    const env = await project().env();
    return flow({
      auth: "client-credentials",
      clientId: env.MCP_CLIENT_ID,
      clientSecret: env.MCP_CLIENT_SECRET,
      ...options,
    });
  };
  const expectAllPassed = (report: TestFlowReport, output: string, skipped: string[] = []) => {
    expectValidReport(report);
    expect(report.exitCode, output).toBe(0);
    const notPassed = report.steps.filter((s) => s.status !== "passed").map((s) => `${s.id}: ${s.summary}`);
    expect(notPassed).toEqual(skipped.map((id) => expect.stringMatching(new RegExp(`^${id}: `))));
    expect(report.steps.filter((s) => s.id.startsWith("probe-"))).toHaveLength(10);
    expect(output).not.toMatch(/eyJ[\w-]+\.eyJ/);
  };
  const graph = () =>
    new GraphApi(
      delegatedGraphClient(tenant(), adele(), ["https://graph.microsoft.com/Application.ReadWrite.All"]),
      retryPolicy(),
    );
  const explanation = (report: TestFlowReport, id: string, code: string) =>
    report.steps
      .find((s) => s.id === id && s.status === "failed")
      ?.error?.explanations.find((e) => e.code === code);

  describe("every sign-in method completes, and every probe passes", () => {
    it("--auth headless with auto-approve (VS Code as the client)", async () => {
      await admin().setAutoApprove("adele");
      const { report, output } = await headless({ probe: true });
      expectAllPassed(report, output);
      expect(step(report, "tools-call").evidence.tool).toBe("server_time");
      // Entra's shape: S256 works though the metadata does not list it.
      expect(step(report, "authorization-server-metadata").notes.join(" ")).toContain(
        "proceeding with PKCE S256",
      );
      expect(step(report, "token").evidence.token).toMatchObject({
        azp: VSCODE_CLIENT_ID,
        scp: ["user_impersonation"],
      });
      expect(step(report, "probe-insufficient-scope").summary).toContain(
        "403 insufficient_scope at tools/call",
      );
      expect(step(report, "probe-token-in-query").summary).toBe("refused with HTTP 400");
    });

    it("--auth client-credentials with the ci app (app role Tools.Read)", async () => {
      const { report, output } = await clientCredentials({ probe: true });
      expectAllPassed(report, output, ["authorization"]);
      expect(step(report, "token").evidence.token).toMatchObject({ roles: ["Tools.Read"] });
      expect(step(report, "probe-insufficient-scope").evidence.obtained).toContain("without roles");
    });

    it("--auth device-code with the local client, a person typing the code on /devicelogin", async () => {
      await admin().setAutoApprove(null);
      const driver = new SignInDriver({ caPem: tenant().caPem, user: adele() });
      let approval: Promise<unknown> | undefined;
      const interrupt = (text: string) => {
        const found = /open the page (\S+) and enter the code (\S+)/.exec(text);
        if (found) approval = driver.approveDeviceCode(found[1]!, found[2]!);
      };
      const { appId } = await project().app("local");
      const { report, output } = await flow(
        { auth: "device-code", clientId: appId, probe: true },
        { personPresent: true, progress: { started() {}, finished() {}, interrupt } },
      );
      expect(await approval).toMatchObject({ kind: "page", steps: ["sign-in", "consent", "device-done"] });
      expectAllPassed(report, output);
      expect(step(report, "token").evidence.token).toMatchObject({ azp: appId, scp: ["user_impersonation"] });
    });
  });

  describe("propagation after writes (Entra-like, on the dev tenant's fault switch)", () => {
    afterAll(() => {
      tenant().setFaults(undefined);
    });

    it("register --new-secret, then at once test-flow --auth client-credentials: refused like Entra without the retry, waited for with it", async () => {
      tenant().setFaults("secret-propagation:2000");
      await project().register({ preset: "ci", newSecret: true });
      const refused = await clientCredentials({ propagationWait: 0 });
      expect(refused.report.exitCode).toBe(1);
      expect(explanation(refused.report, "token", "AADSTS7000215")?.cause).toContain("propagated");
      expect(refused.output).not.toContain("Retrying for up to");

      await project().register({ preset: "ci", newSecret: true });
      const { report, output } = await clientCredentials();
      expect(report.exitCode, output).toBe(0);
      const token = step(report, "token");
      expect(token.evidence["propagation wait"]).toMatch(/^\d+ s$/);
      expect(token.notes.join(" ")).toMatch(/retr(y|ies)\) while Entra answered AADSTS7000215/);
      expect(output).toContain("while Entra answered AADSTS7000215");
      // The person is told once, as the waiting starts, so a slow token step does not look like a hang.
      expect(
        output.match(/Entra refused the credential with AADSTS7000215.*Retrying for up to 60 s/g),
      ).toHaveLength(1);
    });

    it("the server's on-behalf-of waits while a consent grant written moments ago propagates (AADSTS65001 until then)", async () => {
      const t = tenant();
      await admin().setAutoApprove("adele");
      t.setFaults("consent-propagation:4000");
      const { appId } = await project().app("remote");
      const server = t.store.state.servicePrincipals.find((sp) => sp.appId === appId)!;
      const grant = t.store.state.oauth2PermissionGrants.find(
        (candidate) => candidate.clientId === server.id,
      )!;
      const graphAdmin = appOnlyGraphClient(t, await t.createGraphAdminApp());
      await graphAdmin.api(`/oauth2PermissionGrants/${grant.id}`).patch({ scope: grant.scope });
      t.clearRequestLog();
      const { report, output } = await headless({ tool: "whoami" });
      expect(report.exitCode, output).toBe(0);
      const tokenAnswers = t
        .requestLog({ kind: "identity" })
        .filter((entry) => entry.method === "POST" && entry.path.endsWith("/oauth2/v2.0/token"))
        .map((entry) => entry.status);
      expect(tokenAnswers).toContain(400);
      expect(tokenAnswers.at(-1)).toBe(200);
    });
  });

  describe("misconfigurations are explained: cause, registration field, and the register flag that fixes them", () => {
    beforeAll(() => admin().setAutoApprove("adele"));

    it("Application ID URI ≠ resource: AADSTS9010010 when the client sends resource", async () => {
      const { report, output } = await headless({ resource: true });
      expect(report.exitCode).toBe(1);
      expect(explanation(report, "authorization", "AADSTS9010010")).toMatchObject({
        field: "identifierUris",
        fix: expect.stringContaining("mcp-entra register --server-url"),
      });
      expect(output).toContain("mcp-entra test-flow --no-resource");
    });

    it("wrong redirect URI: AADSTS50011 for the local client; register --preset local restores it", async () => {
      const { appId, objectId } = await project().app("local");
      const local = () => flow({ auth: "headless", clientId: appId });
      expect((await local()).report.exitCode).toBe(0);
      await graph().write({
        method: "PATCH",
        path: `/applications/${objectId}`,
        body: { publicClient: { redirectUris: ["https://app.example.com/callback"] } },
        purpose: "break the redirect URI",
      });
      const { report, output } = await local();
      expect(report.exitCode).toBe(1);
      expect(explanation(report, "authorization", "AADSTS50011")).toMatchObject({
        field: expect.stringContaining("publicClient.redirectUris"),
        fix: expect.stringContaining("mcp-entra register --redirect-uri"),
      });
      expect(output).toContain("register --preset local restores http://localhost");
      await project().register({ preset: "local" }, project().clientDir);
      expect((await local()).report.exitCode).toBe(0);
    });

    it("VS Code not pre-authorized: AADSTS65002; register --preset remote restores it", async () => {
      await project().register({ preAuthorizeVscode: false });
      const { report } = await headless();
      expect(report.exitCode).toBe(1);
      expect(explanation(report, "authorization", "AADSTS65002")).toMatchObject({
        field: "api.preAuthorizedApplications",
        fix: expect.stringContaining("--pre-authorize <client-id>"),
      });
      await project().register({});
      expect((await headless()).report.exitCode).toBe(0);
    });

    it("expired secret of the CI app: AADSTS7000222 at client credentials; register --new-secret fixes it", async () => {
      const { appId } = await project().app("ci");
      await tenant().store.commit((state) => {
        const app = state.applications.find((candidate) => candidate.appId === appId)!;
        for (const secret of app.passwordCredentials)
          secret.endDateTime = new Date(Date.now() - 60_000).toISOString();
      });
      const { report, output } = await clientCredentials();
      expect(report.exitCode).toBe(1);
      expect(explanation(report, "token", "AADSTS7000222")).toMatchObject({
        field: "passwordCredentials[].endDateTime",
        fix: expect.stringContaining("mcp-entra register --new-secret"),
      });
      expect(output).not.toContain((await project().env()).MCP_CLIENT_SECRET);
      await project().register({ preset: "ci", newSecret: true });
      expect((await clientCredentials()).report.exitCode).toBe(0);
    });

    it("expired secret of the server: its on-behalf-of call fails with AADSTS7000222, explained at tools/call", async () => {
      const { appId } = await project().app("remote");
      await tenant().store.commit((state) => {
        const app = state.applications.find((candidate) => candidate.appId === appId)!;
        for (const secret of app.passwordCredentials)
          secret.endDateTime = new Date(Date.now() - 60_000).toISOString();
      });
      const { report, output } = await headless({ tool: "whoami" });
      expect(report.exitCode).toBe(1);
      expect(step(report, "tools-call").error?.code, output).toBe("TOOL_ERROR");
      expect(explanation(report, "tools-call", "AADSTS7000222")?.fix).toContain("restart the server");
      await project().register({ newSecret: true });
      await project().restart();
      const fixed = await headless({ tool: "whoami" });
      expect(fixed.report.exitCode, fixed.output).toBe(0);
      expect(step(fixed.report, "tools-call").evidence.text).toContain(adele());
    });
  });

  it("doctor finds the running server's registration sound (the localhost App ID URI aside)", async () => {
    const result = await runDoctor(
      { dir: project().dir },
      { target: async () => devTarget(tenant(), project().home) },
    );
    expect(result.exitCode).toBe(0);
    expect(result.server?.prm).toContain("/.well-known/oauth-protected-resource/mcp");
    expect(result.checks.filter((c) => c.status !== "passed").map((c) => `${c.id}:${c.status}`)).toEqual([
      "app-id-uri:warning",
    ]);
  });
});

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readProjectConfig } from "../../../src/core/project-config.js";
import { runDoctor } from "../../../src/entra/doctor/run-doctor.js";
import { renderRegister } from "../../../src/entra/registration/register-report.js";
import { FEDERATED_TOKEN_AUDIENCE, VSCODE_CLIENT_ID } from "../../../src/entra/well-known.js";
import type { ManagedIdentitySummary } from "../../../src/tenant/directory/managed-identities.js";
import { TenantAdminClient, type TenantState } from "../../../src/tenant/index.js";
import { captureUi } from "../../helpers/capture-ui.js";
import { devTarget } from "../../helpers/dev-target.js";
import { useDevTenant } from "../../helpers/dev-tenant.js";
import { useTemplateProject } from "../../helpers/template-project.js";
import { runFlow, step } from "../../helpers/test-flow.js";

/**
 * The `remote` template signing in to Entra with a user-assigned managed identity instead of a secret:
 * `register --credential managed-identity` replaces the secret the first registration added with a
 * federated credential trusting the identity; the server (started with the .env register wrote, which
 * points MSAL at the dev tenant's managed identity endpoint as an Azure host does) gets the identity's
 * token through MSAL's ManagedIdentityApplication and presents it for its on-behalf-of call to Graph.
 */
describe("remote template with a managed identity (no secret)", () => {
  const tenant = useDevTenant();
  const project = useTemplateProject(tenant, { template: "remote" });
  let identity: ManagedIdentitySummary;
  const adele = () => `adele@${tenant().domain}`;
  const whoami = () =>
    runFlow({
      serverUrl: project().url,
      home: project().home,
      fresh: true,
      resource: false,
      auth: "headless",
      clientId: VSCODE_CLIENT_ID,
      tool: "whoami",
    });
  const managedIdentity = () => ({ credential: "managed-identity", managedIdentity: identity.clientId });
  const remoteApp = async (state: TenantState = tenant().store.state) => {
    const { appId } = await project().app("remote");
    return state.applications.find((app) => app.appId === appId)!;
  };
  const credentials = async () =>
    tenant().store.state.federatedIdentityCredentials[(await remoteApp()).id] ?? [];
  const editCredential = async (
    edit: (credential: TenantState["federatedIdentityCredentials"][string][number]) => void,
  ) => {
    const app = await remoteApp();
    await tenant().store.commit((state) => {
      for (const credential of state.federatedIdentityCredentials[app.id] ?? []) edit(credential);
    });
  };
  const doctor = () =>
    runDoctor({ dir: project().dir }, { target: async () => devTarget(tenant(), project().home) });

  beforeAll(async () => {
    await TenantAdminClient.for(tenant().url, tenant().adminToken, tenant().caPem).setAutoApprove("adele");
    identity = await tenant().addManagedIdentity("mcp-server-identity");
  });

  it("--dry-run shows the federated credential and the secret's removal, and writes nothing", async () => {
    const before = await readFile(join(project().dir, ".env"), "utf8");
    const result = await project().register({ ...managedIdentity(), dryRun: true });
    const capture = captureUi();
    renderRegister(result, capture.ui);
    const plan = capture.all();
    expect(plan).toContain("/federatedIdentityCredentials");
    expect(plan).toContain(`"subject": "${identity.principalId}"`);
    expect(plan).toContain(`"issuer": "${tenant().urls.issuer}"`);
    expect(plan).toContain(FEDERATED_TOKEN_AUDIENCE);
    expect(plan).toContain("/removePassword");
    expect(await readFile(join(project().dir, ".env"), "utf8")).toBe(before);
    expect(await credentials()).toEqual([]);
  });

  it("switching from the secret: the federated credential trusts the identity, the secret is gone (and register says so)", async () => {
    expect((await project().env()).ENTRA_CLIENT_SECRET).toBeTruthy();
    const result = await project().register(managedIdentity());
    const capture = captureUi();
    renderRegister(result, capture.ui);
    expect(capture.all()).toMatch(
      /Removed the client secret mcp-entra had added \(.+\): the managed identity replaces it/,
    );
    expect(capture.all()).toContain(
      `Managed identity     mcp-server-identity (client id ${identity.clientId}`,
    );

    expect(await credentials()).toEqual([
      expect.objectContaining({
        issuer: tenant().urls.issuer,
        subject: identity.principalId,
        audiences: [FEDERATED_TOKEN_AUDIENCE],
      }),
    ]);
    expect((await remoteApp()).passwordCredentials).toEqual([]);
    const env = await project().env();
    expect(env.ENTRA_CLIENT_SECRET).toBeUndefined();
    expect(env.ENTRA_MANAGED_IDENTITY_CLIENT_ID).toBe(identity.clientId);
    expect(env).toMatchObject(tenant().managedIdentityHost());
    const record = (await readProjectConfig(project().dir)).apps.remote!;
    expect(record.secret).toBeUndefined();
    expect(record.managedIdentity).toMatchObject({
      clientId: identity.clientId,
      principalId: identity.principalId,
    });
  });

  it("whoami: the server's on-behalf-of call to Graph is signed with the identity's token, through MSAL's managed identity endpoint call", async () => {
    await project().restart();
    tenant().clearRequestLog();
    const { report, output } = await whoami();
    expect(report.exitCode, output).toBe(0);
    expect(step(report, "tools-call").evidence.text).toContain(adele());
    const identityCalls = tenant()
      .requestLog()
      .filter((entry) => entry.path.startsWith("/msi/token"));
    expect(identityCalls.map((entry) => entry.status)).toEqual([200]);
    expect(project().server.logs.join("\n")).not.toMatch(/secret/i);
  });

  it("re-running register with the identity makes no Graph write", async () => {
    const result = await project().register(managedIdentity());
    expect(result.graph.writes).toEqual([]);
  });

  it("doctor finds the credential sound", async () => {
    const result = await doctor();
    expect(result.checks.filter((c) => c.id.startsWith("managed-identity"))).toEqual([
      expect.objectContaining({ id: "managed-identity", status: "passed" }),
      expect.objectContaining({ id: "managed-identity-credential", status: "passed" }),
    ]);
    expect(result.checks.filter((c) => c.status === "error")).toEqual([]);
  });

  describe.each([
    {
      field: "subject",
      code: 700213,
      // The classic mistake: the identity's client id where its principal id belongs.
      edit: (credential: { subject: string }) => {
        credential.subject = identity.clientId;
      },
    },
    {
      field: "issuer",
      code: 700211,
      edit: (credential: { issuer: string }) => {
        credential.issuer = `https://login.microsoftonline.com/${tenant().tenantId}/v2.0`;
      },
    },
    {
      field: "audiences",
      code: 700212,
      edit: (credential: { audiences: string[] }) => {
        credential.audiences = ["api://AzureADMyOrg"];
      },
    },
  ])("a wrong $field", ({ field, code, edit }) => {
    it(`fails with AADSTS${code}, explained; doctor names the ${field}; register repairs it`, async () => {
      await editCredential(edit as never);
      const { report, output } = await whoami();
      expect(report.exitCode, output).toBe(1);
      const explanation = step(report, "tools-call").error?.explanations.find(
        (e) => e.code === `AADSTS${code}`,
      );
      expect(explanation, output).toMatchObject({ field: `federatedIdentityCredentials[].${field}` });

      const checks = (await doctor()).checks.filter((c) => c.id === "managed-identity-credential");
      expect(checks).toEqual([
        expect.objectContaining({
          status: "error",
          summary: expect.stringContaining(`has the wrong ${field}`),
          evidence: expect.objectContaining({ field }),
          fix: `mcp-entra register --preset remote --credential managed-identity --managed-identity ${identity.clientId}`,
        }),
      ]);
      expect(checks[0]!.summary).toContain(`AADSTS${code}`);

      const repaired = await project().register(managedIdentity());
      expect(repaired.graph.writes.map((write) => write.method)).toEqual(["PATCH"]);
      const again = await whoami();
      expect(again.report.exitCode, again.output).toBe(0);
    });
  });
});

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readProjectConfig } from "../../../src/core/project-config.js";
import { runAppShow } from "../../../src/entra/registration/lifecycle/app-show.js";
import { type appShowJson, renderAppShow } from "../../../src/entra/registration/lifecycle/show-report.js";
import { VSCODE_CLIENT_ID } from "../../../src/entra/well-known.js";
import type { Application } from "../../../src/tenant/directory/tenant-state.js";
import { tempDir, useDevTenant } from "../../helpers/dev-tenant.js";
import { delegatedGraphClient } from "../../helpers/graph.js";
import { projectCommands } from "../../helpers/lifecycle.js";

describe("mcp-entra app show", () => {
  const tenant = useDevTenant();
  let home: string;
  let dir: string;
  const project = projectCommands(tenant, () => ({ home, dir }));
  const show = (flags: Record<string, unknown> = {}, json = false) =>
    project.run(runAppShow, flags, { render: renderAppShow, ui: { json } });
  const graph = () =>
    delegatedGraphClient(tenant(), `adele@${tenant().domain}`, [
      "Application.ReadWrite.All",
      "DelegatedPermissionGrant.ReadWrite.All",
    ]);

  beforeAll(async () => {
    home = await tempDir();
    dir = await tempDir("mcp-entra-project-");
    await project.register({ webRedirectUri: ["https://app.example.com/callback"] });
  });

  it("shows the registration as the tenant has it, in sync after register, and never a secret value", async () => {
    const { result, output } = await show();
    const app = result.tenant.app;
    expect(result.drift).toEqual({ inSync: true, patches: [], other: [] });
    expect(output).toContain("In sync with mcp-entra.json");
    expect(output).toContain(app.appId);
    expect(output).toContain(`api://${app.appId}/user_impersonation`);
    expect(output).toContain(`Visual Studio Code (${VSCODE_CLIENT_ID}): user_impersonation`);
    expect(output).toContain("https://app.example.com/callback");
    expect(output).toMatch(/Admin consent +Microsoft Graph: User\.Read/);
    expect(output).toMatch(/Client secret .* in \.env as ENTRA_CLIENT_SECRET/);

    const secret = (await readFile(join(dir, ".env"), "utf8")).match(/^ENTRA_CLIENT_SECRET=(\S+)$/m)![1]!;
    expect(output).not.toContain(secret);
    const json = await show({}, true);
    expect(json.output).not.toContain(secret);
    const document = JSON.parse(json.stdout) as ReturnType<typeof appShowJson>;
    expect(document.app.preAuthorizedClients).toEqual([
      { appId: VSCODE_CLIENT_ID, displayName: "Visual Studio Code", scopes: ["user_impersonation"] },
    ]);
    expect(document.credentials.secrets).toEqual([
      expect.objectContaining({
        keyId: (await readProjectConfig(dir)).apps.remote!.secret!.keyId,
        inEnv: true,
        managed: true,
      }),
    ]);
    expect(document.grants).toEqual([
      expect.objectContaining({
        resource: "Microsoft Graph",
        consentType: "AllPrincipals",
        scope: "User.Read",
      }),
    ]);
    expect(document.drift.inSync).toBe(true);
  });

  it("reports, in words, the exact PATCH register would make after changes made directly through Graph", async () => {
    const { result } = await show();
    const app = result.tenant.app;
    const current = (await graph().api(`/applications/${app.id}`).get()) as Application;
    await graph()
      .api(`/applications/${app.id}`)
      .patch({
        api: { ...current.api, preAuthorizedApplications: [] },
        web: { ...current.web, redirectUris: ["https://stray.example.com/cb"] },
      });

    const { result: drifted, output } = await show();
    expect(drifted.drift.inSync).toBe(false);
    expect(drifted.drift.other).toEqual([]);
    expect(drifted.drift.patches).toHaveLength(1);
    expect(drifted.drift.patches[0]!.path).toBe(`/applications/${app.id}`);
    expect(drifted.drift.patches[0]!.changes).toEqual([
      "add web redirect URI https://app.example.com/callback",
      "remove web redirect URI https://stray.example.com/cb",
      `pre-authorize Visual Studio Code (${VSCODE_CLIENT_ID}) for user_impersonation`,
    ]);
    expect(output).toContain("Drift: `mcp-entra register` would make these changes:");
    expect(output).toContain("- remove web redirect URI https://stray.example.com/cb");

    // What show predicts is what register does: one PATCH, then in sync again.
    const { result: registered } = await project.register({
      webRedirectUri: ["https://app.example.com/callback"],
    });
    expect(registered.graph.writes.map((w) => `${w.method} ${w.path}`)).toEqual([
      `PATCH /applications/${app.id}`,
    ]);
    expect(registered.graph.writes[0]!.body).toEqual(drifted.drift.patches[0]!.body);
    expect((await show()).result.drift.inSync).toBe(true);
  });

  it("compares with the flags register recorded, not only with the defaults", async () => {
    await project.register({
      webRedirectUri: ["https://app.example.com/callback"],
      preAuthorizeVscode: false,
      role: ["Tools.Read"],
    });
    expect((await readProjectConfig(dir)).apps.remote!.flags).toMatchObject({
      preAuthorizeVscode: false,
      webRedirectUri: ["https://app.example.com/callback"],
    });
    const { result } = await show();
    expect(result.drift.inSync).toBe(true);
    expect(result.tenant.app.api.preAuthorizedApplications).toEqual([]);
  });

  it("reports a disabled role, a missing admin consent and a missing secret outside the PATCHes", async () => {
    const { result } = await show();
    const { app, servicePrincipal, grants } = result.tenant;
    await graph()
      .api(`/applications/${app.id}`)
      .patch({ appRoles: app.appRoles.map((role) => ({ ...role, isEnabled: false })) });
    await graph().api(`/oauth2PermissionGrants/${grants[0]!.id}`).delete();
    await graph()
      .api(`/applications/${app.id}/removePassword`)
      .post({ keyId: app.passwordCredentials[0]!.keyId });
    expect(servicePrincipal).toBeDefined();

    const { result: drifted } = await show();
    expect(drifted.drift.patches.map((p) => p.changes)).toEqual([["enable app role Tools.Read"]]);
    expect(drifted.drift.other).toEqual([
      `add a client secret (the one mcp-entra.json records, ${app.passwordCredentials[0]!.keyId}, is gone)`,
      "grant admin consent to Microsoft Graph User.Read",
    ]);
    await project.register({
      webRedirectUri: ["https://app.example.com/callback"],
      preAuthorizeVscode: false,
      role: ["Tools.Read"],
    });
    expect((await show()).result.drift.inSync).toBe(true);
  });

  it("a ci registration: its federated credential and app role, in sync, then the role assignment's drift", async () => {
    await project.register({ preset: "ci", githubRepo: "contoso/mcp" });
    const { result, output } = await show({ preset: "ci" });
    expect(result.drift).toEqual({ inSync: true, patches: [], other: [] });
    expect(output).toMatch(
      /Federated cred\. +github-contoso-mcp-main: https:\/\/token\.actions\.githubusercontent\.com repo:contoso\/mcp:ref:refs\/heads\/main/,
    );
    expect(output).toMatch(/Holds app role +Tools\.Read of /);
    const assignment = result.tenant.roleAssignments[0]!;
    await delegatedGraphClient(tenant(), `adele@${tenant().domain}`, ["AppRoleAssignment.ReadWrite.All"])
      .api(`/servicePrincipals/${result.tenant.servicePrincipal!.id}/appRoleAssignments/${assignment.id}`)
      .delete();
    const { result: drifted } = await show({ preset: "ci" });
    expect(drifted.drift.other).toEqual([
      `assign app role Tools.Read of the API ${assignment.resourceAppId}`,
    ]);
  });

  it("exits 1 with the fix when the app is gone from the tenant", async () => {
    const { result } = await show({ preset: "remote" });
    await graph().api(`/applications/${result.tenant.app.id}`).delete();
    const failure = await show({ preset: "remote" }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ exitCode: 1, code: "APP_NOT_FOUND" });
    expect((failure as Error).message).toContain(result.tenant.app.displayName);
    expect((failure as { suggestion: string }).suggestion).toContain("mcp-entra register --preset remote");
  });

  it("without mcp-entra.json, or with several registrations and no terminal, it is a usage error naming the flag", async () => {
    const empty = await tempDir("mcp-entra-empty-");
    await expect(show({ dir: empty })).rejects.toMatchObject({ exitCode: 2, code: "NO_REGISTRATION" });
    const failure = await show().catch((error: unknown) => error);
    expect(failure).toMatchObject({ exitCode: 2, code: "MISSING_ANSWER" });
    expect((failure as Error).message).toContain("--preset <remote|ci>");
    await expect(show({ key: "nope" })).rejects.toThrow(/--key: mcp-entra.json has no registration "nope"/);
    await expect(show({ preset: "proxy" })).rejects.toThrow(
      /--preset: mcp-entra.json has no proxy registration/,
    );
  });
});

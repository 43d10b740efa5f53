import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readEnvFile } from "../../../src/core/env-file.js";
import { readProjectConfig } from "../../../src/core/project-config.js";
import { runAppDelete } from "../../../src/entra/registration/lifecycle/app-delete.js";
import { runAppShow } from "../../../src/entra/registration/lifecycle/app-show.js";
import { renderAppDelete } from "../../../src/entra/registration/lifecycle/delete-report.js";
import { tempDir, useDevTenant } from "../../helpers/dev-tenant.js";
import { delegatedGraphClient } from "../../helpers/graph.js";
import { projectCommands } from "../../helpers/lifecycle.js";

describe("mcp-entra app delete", () => {
  const tenant = useDevTenant();
  let home: string;
  let dir: string;
  const project = projectCommands(tenant, () => ({ home, dir }));
  const remove = (flags: Record<string, unknown>, yes = true) =>
    project.run(runAppDelete, flags, { render: renderAppDelete, ui: { yes } });
  const state = () => tenant().store.state;
  const snapshot = async () => ({
    apps: state().applications.length,
    sps: state().servicePrincipals.length,
    grants: state().oauth2PermissionGrants.length,
    assignments: state().appRoleAssignments.length,
    config: await readFile(join(dir, "mcp-entra.json"), "utf8"),
    env: await readFile(join(dir, ".env"), "utf8"),
  });
  let remote: { appId: string; spId: string };
  let ci: { appId: string; spId: string };

  beforeAll(async () => {
    home = await tempDir();
    dir = await tempDir("mcp-entra-project-");
    const api = (await project.register()).result.outcome;
    const client = (await project.register({ preset: "ci" })).result.outcome;
    remote = { appId: api.app.appId, spId: api.servicePrincipal.id };
    ci = { appId: client.app.appId, spId: client.servicePrincipal.id };
  });

  it("without a terminal and without --yes it is a usage error naming --yes, and nothing is deleted", async () => {
    const before = await snapshot();
    const failure = await remove({ preset: "ci" }, false).catch((error: unknown) => error);
    expect(failure).toMatchObject({ exitCode: 2, code: "MISSING_ANSWER" });
    expect((failure as Error).message).toContain("--yes");
    expect(await snapshot()).toEqual(before);
  });

  it("--dry-run lists the deletions and changes nothing", async () => {
    const before = await snapshot();
    tenant().clearRequestLog();
    const { result, output } = await remove({ preset: "ci", dryRun: true }, false);
    expect(tenant().requestLog({ kind: "graph", writesOnly: true })).toEqual([]);
    expect(await snapshot()).toEqual(before);
    const ciApp = state().applications.find((app) => app.appId === ci.appId)!;
    expect(result.writes.map((w) => `${w.method} ${w.path}`)).toEqual([
      expect.stringMatching(new RegExp(`^DELETE /servicePrincipals/${ci.spId}/appRoleAssignments/`)),
      `DELETE /applications/${ciApp.id}`,
    ]);
    expect(output).toContain("Plan for deleting");
    expect(output).toContain("the app role Tools.Read of");
    expect(output).toContain(
      'would remove "ci" from mcp-entra.json and MCP_CLIENT_ID, MCP_CLIENT_SECRET from .env',
    );
  });

  it("deletes the ci app, its service principal and its role assignment; keeps what the remote app uses", async () => {
    tenant().clearRequestLog();
    const { output } = await remove({ preset: "ci" });
    expect(state().applications.some((app) => app.appId === ci.appId)).toBe(false);
    expect(state().servicePrincipals.some((sp) => sp.appId === ci.appId)).toBe(false);
    expect(state().appRoleAssignments.filter((a) => a.principalId === ci.spId)).toEqual([]);
    expect(output).toMatch(/Deleted .* from the dev tenant/);

    const config = await readProjectConfig(dir);
    expect(Object.keys(config.apps)).toEqual(["remote"]);
    expect(config.tenant).toBeDefined();
    const env = await readEnvFile(join(dir, ".env"));
    expect(env.MCP_CLIENT_ID).toBeUndefined();
    expect(env.MCP_CLIENT_SECRET).toBeUndefined();
    expect(env.ENTRA_TENANT_ID).toBe(tenant().tenantId);
    expect(env.ENTRA_CLIENT_SECRET).toBeTruthy();
  });

  it("deletes the remote app with its service principal and admin consent, and cleans the project files", async () => {
    expect(state().oauth2PermissionGrants.filter((g) => g.clientId === remote.spId)).toHaveLength(1);
    tenant().clearRequestLog();
    const { result } = await remove({});
    expect(state().applications.some((app) => app.appId === remote.appId)).toBe(false);
    expect(state().servicePrincipals.some((sp) => sp.appId === remote.appId)).toBe(false);
    expect(state().oauth2PermissionGrants.filter((g) => g.clientId === remote.spId)).toEqual([]);
    expect(result.writes.map((w) => w.method)).toEqual(["DELETE", "DELETE"]);
    expect(
      tenant()
        .requestLog({ kind: "graph", writesOnly: true })
        .map((entry) => `${entry.method} ${entry.status}`),
    ).toEqual(["DELETE 204", "DELETE 204"]);

    const config = await readProjectConfig(dir);
    expect(config.apps).toEqual({});
    expect(config.tenant).toBeUndefined();
    const env = await readEnvFile(join(dir, ".env"));
    for (const name of [
      "ENTRA_CLIENT_SECRET",
      "ENTRA_CLIENT_ID",
      "ENTRA_APP_ID_URI",
      "MCP_SCOPE",
      "ENTRA_TENANT_ID",
    ]) {
      expect(env[name], name).toBeUndefined();
    }
    expect(env.MCP_SERVER_URL).toBe("http://localhost:3000/mcp");
  });

  it("a proxy registration shows in sync, then deletes like the others", async () => {
    const proxy = await project.register({ preset: "proxy", serverUrl: "http://localhost:4100/mcp" });
    expect(proxy.result.outcome.app.web.redirectUris).toEqual(["http://localhost:4100/oauth/callback"]);
    expect((await project.run(runAppShow)).result.drift).toEqual({ inSync: true, patches: [], other: [] });
    await remove({});
    expect(state().applications.some((app) => app.appId === proxy.result.outcome.app.appId)).toBe(false);
  });

  it("converges when the app was already deleted elsewhere: the project files are cleaned", async () => {
    const { result: registered } = await project.register();
    const graph = delegatedGraphClient(tenant(), `adele@${tenant().domain}`, ["Application.ReadWrite.All"]);
    await graph.api(`/applications/${registered.outcome.app.id}`).delete();
    const { result, output } = await remove({});
    expect(result.foundInTenant).toBe(false);
    expect(output).toContain("was already gone");
    expect((await readProjectConfig(dir)).apps).toEqual({});
    expect((await readEnvFile(join(dir, ".env"))).ENTRA_CLIENT_SECRET).toBeUndefined();
  });
});

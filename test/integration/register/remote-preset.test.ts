import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readProjectConfig } from "../../../src/core/project-config.js";
import { runRegister } from "../../../src/entra/registration/run-register.js";
import { MICROSOFT_GRAPH_APP_ID, VSCODE_CLIENT_ID } from "../../../src/entra/well-known.js";
import { captureUi } from "../../helpers/capture-ui.js";
import { devTarget } from "../../helpers/dev-target.js";
import { tempDir, useDevTenant } from "../../helpers/dev-tenant.js";

describe("register --preset remote", () => {
  const tenant = useDevTenant();
  let home: string;
  let dir: string;
  const register = (flags: Record<string, unknown> = {}) => {
    const capture = captureUi();
    return runRegister(
      { preset: "remote", dir, ...flags },
      { ui: capture.ui, target: async () => devTarget(tenant(), home) },
    ).then((result) => ({ result, output: capture.all() }));
  };

  beforeAll(async () => {
    home = await tempDir();
    dir = await tempDir("mcp-entra-project-");
  });

  it("creates the API app, its service principal, a secret, VS Code pre-authorization and admin consent", async () => {
    tenant().clearRequestLog();
    const { result, output } = await register();
    const state = tenant().store.state;
    const app = state.applications.find((candidate) => candidate.appId === result.outcome.app.appId)!;
    expect(app.identifierUris).toEqual([`api://${app.appId}`]);
    expect(app.api.requestedAccessTokenVersion).toBe(2);
    expect(app.api.oauth2PermissionScopes.map((s) => s.value)).toEqual(["user_impersonation"]);
    expect(app.appRoles.map((r) => r.value)).toEqual(["Tools.Read", "Tools.Admin"]);
    expect(app.api.preAuthorizedApplications).toEqual([
      { appId: VSCODE_CLIENT_ID, delegatedPermissionIds: [app.api.oauth2PermissionScopes[0]!.id] },
    ]);
    expect(app.passwordCredentials).toHaveLength(1);
    const sp = state.servicePrincipals.find((candidate) => candidate.appId === app.appId)!;
    const graphSp = state.servicePrincipals.find((candidate) => candidate.appId === MICROSOFT_GRAPH_APP_ID)!;
    expect(state.oauth2PermissionGrants).toContainEqual(
      expect.objectContaining({
        clientId: sp.id,
        resourceId: graphSp.id,
        consentType: "AllPrincipals",
        scope: "User.Read",
      }),
    );

    const env = await readFile(join(dir, ".env"), "utf8");
    expect(env).toContain(`ENTRA_CLIENT_ID=${app.appId}`);
    expect(env).toContain(`ENTRA_APP_ID_URI=api://${app.appId}`);
    expect(env).toContain(`MCP_SCOPE=api://${app.appId}/user_impersonation`);
    expect(env).toMatch(/^ENTRA_CLIENT_SECRET=\S+$/m);
    expect((await stat(join(dir, ".env"))).mode & 0o777).toBe(0o600);
    expect(await readFile(join(dir, ".gitignore"), "utf8")).toMatch(/^\.env$/m);

    const secret = env.match(/^ENTRA_CLIENT_SECRET=(\S+)$/m)![1]!;
    const configText = await readFile(join(dir, "mcp-entra.json"), "utf8");
    expect(configText).not.toContain(secret);
    expect(output).not.toContain(secret);
    const config = await readProjectConfig(dir);
    expect(config.apps.remote).toMatchObject({
      appId: app.appId,
      objectId: app.id,
      servicePrincipalId: sp.id,
    });

    const writes = tenant().requestLog({ kind: "graph", writesOnly: true });
    expect(writes.length).toBeGreaterThan(0);
    expect(result.graph.roundTrips).toBeLessThanOrEqual(10);
  });

  it("makes no Graph writes when run again with the same inputs", async () => {
    tenant().clearRequestLog();
    const { result } = await register();
    expect(tenant().requestLog({ kind: "graph", writesOnly: true })).toEqual([]);
    expect(result.graph.writes).toEqual([]);
    expect(
      tenant().store.state.applications.filter((a) => a.displayName.includes("(MCP remote)")),
    ).toHaveLength(1);
  });

  it("changing one flag changes exactly that part", async () => {
    tenant().clearRequestLog();
    const { result } = await register({ preAuthorizeVscode: false });
    expect(result.graph.writes.map((w) => `${w.method} ${w.path}`)).toEqual([
      `PATCH /applications/${result.outcome.app.id}`,
    ]);
    expect(Object.keys(result.graph.writes[0]!.body as object)).toEqual(["api"]);
    await register();
  });

  it("--dry-run reads but writes nothing and lists the writes it would make", async () => {
    const before = await readFile(join(dir, "mcp-entra.json"), "utf8");
    tenant().clearRequestLog();
    const { result } = await register({ dryRun: true, newSecret: true });
    expect(tenant().requestLog({ kind: "graph", writesOnly: true })).toEqual([]);
    expect(result.graph.writes.map((w) => w.purpose)).toEqual([
      "add a client secret",
      "remove a client secret mcp-entra no longer uses",
    ]);
    expect(await readFile(join(dir, "mcp-entra.json"), "utf8")).toBe(before);
  });
});

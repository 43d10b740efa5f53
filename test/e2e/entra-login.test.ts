import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readEnvFile } from "../../src/core/env-file.js";
import { DEVICE_CODE_PROMPT, startCli } from "../helpers/cli-process.js";
import type { DetachedTenant } from "../helpers/detached-tenant.js";
import { tempDir } from "../helpers/dev-tenant.js";
import { useEntraPath } from "../helpers/entra-path.js";
import { fakeAzureCli } from "../helpers/fake-azure-cli.js";
import { SignInDriver } from "../helpers/sign-in-driver.js";

/**
 * mcp-entra's Entra path (not the dev-tenant shortcut) without Entra: the built binary signs in to
 * an Entra-compatible endpoint — a dev tenant, reached through MCP_ENTRA_AUTHORITY_HOST and
 * MCP_ENTRA_GRAPH_BASE_URL and trusted the way a user trusts a corporate proxy, with
 * NODE_EXTRA_CA_CERTS set before the process starts.
 */
describe("login to an Entra tenant (built binary, Entra-compatible endpoint)", () => {
  const entra = useEntraPath();
  let tenant: DetachedTenant;
  let entraEnv: NodeJS.ProcessEnv;
  let admin: string;
  const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => entra().cli(args, env);
  beforeAll(() => {
    ({ tenant, env: entraEnv, admin } = entra());
  });

  it("device code with a bootstrap public client, then whoami, register --preset remote and logout", async () => {
    // The bootstrap app a user registers once: a public client with the Graph permissions register needs.
    const bootstrap = await tempDir("mcp-entra-bootstrap-");
    const registered = await tenant.cli([
      "register",
      "--preset",
      "local",
      "--dir",
      bootstrap,
      "--name",
      "mcp-entra bootstrap",
      ...[
        "User.Read",
        "Application.ReadWrite.All",
        "DelegatedPermissionGrant.ReadWrite.All",
        "AppRoleAssignment.ReadWrite.All",
      ].flatMap((permission) => ["--graph-permission", permission]),
    ]);
    expect(registered.code, registered.stderr).toBe(0);
    const clientId = (await readEnvFile(join(bootstrap, ".env"))).ENTRA_CLIENT_ID!;

    const login = startCli(
      ["login", "--tenant", tenant.tenantId, "--method", "device-code", "--client-id", clientId],
      {
        home: tenant.home,
        env: { ...tenant.env, ...entraEnv },
      },
    );
    const prompt = await login.prompt(DEVICE_CODE_PROMPT);
    // The device code is shown while the process waits; a person approves it elsewhere.
    expect(prompt[1]).toBe(`${tenant.url}/devicelogin`);
    const approved = await new SignInDriver({ caPem: tenant.caPem, user: admin }).approveDeviceCode(
      prompt[1]!,
      prompt[2]!,
    );
    expect(approved.kind === "page" && approved.step).toBe("device-done");
    const { code, stdout, stderr } = await login.done();
    entra().keep(stdout, stderr);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain(`through app ${clientId}`);
    expect(stdout).toContain(`Signed in to tenant ${tenant.tenantId}`);

    const who = await cli(["whoami", "--json"]);
    expect(who.code, who.stderr).toBe(0);
    expect(JSON.parse(who.stdout)).toMatchObject({
      tenant: { kind: "entra", id: tenant.tenantId },
      principal: { kind: "user", name: admin },
      method: "device-code",
      permissions: expect.arrayContaining(["Application.ReadWrite.All", "User.Read"]),
    });

    const project = await tempDir("mcp-entra-project-");
    const register = await cli(["register", "--preset", "remote", "--dir", project]);
    expect(register.code, register.stderr).toBe(0);
    expect(register.stderr).toContain(
      `Using tenant ${tenant.tenantId} (signed in with device-code as ${admin})`,
    );
    expect(register.stderr).not.toContain("dev tenant");
    const config = JSON.parse(await readFile(join(project, "mcp-entra.json"), "utf8"));
    expect(config.tenant).toEqual({
      id: tenant.tenantId,
      authority: `${tenant.url}/${tenant.tenantId}`,
      kind: "entra",
    });
    const env = await readEnvFile(join(project, ".env"));
    expect(env).toMatchObject({
      ENTRA_TENANT_ID: tenant.tenantId,
      ENTRA_AUTHORITY_HOST: tenant.url,
      GRAPH_BASE_URL: `${tenant.url}/v1.0`,
      ENTRA_CLIENT_ID: config.apps.remote.appId,
    });
    expect(env.NODE_EXTRA_CA_CERTS).toBeUndefined();
    const state = await tenant.state();
    const app = state.applications.find((candidate) => candidate.appId === config.apps.remote.appId)!;
    expect(app.identifierUris).toEqual([`api://${app.appId}`]);
    const adminId = state.users.find((user) => user.userPrincipalName === admin)!.id;
    expect(state.owners[app.id]).toContain(adminId);

    const logout = await cli(["logout"]);
    expect(logout.code).toBe(0);
    expect(logout.stdout).toContain(`Signed out of ${tenant.tenantId}`);
    const after = await cli(["whoami", "--json"]);
    expect(JSON.parse(after.stdout).tenant.kind).toBe("dev");
    expect((await readFile(join(tenant.home, "msal-cache.json"), "utf8")).includes(clientId)).toBe(false);
  });

  it("--method azure-cli reuses the Azure CLI's sign-in (an az stand-in first on PATH)", async () => {
    // The Azure CLI cannot run here: the stand-in answers `az account get-access-token` as it does,
    // with a Graph token the tenant issued to the Azure CLI's client id for the administrator.
    const az = await fakeAzureCli(tenant, admin);
    const login = await cli(["login", "--tenant", tenant.tenantId, "--method", "azure-cli"], az.env);
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toContain("with azure-cli");
    const who = await cli(["whoami", "--json"], az.env);
    expect(JSON.parse(who.stdout)).toMatchObject({
      tenant: { kind: "entra", id: tenant.tenantId },
      principal: { kind: "user", name: admin },
      method: "azure-cli",
    });
    const plan = await cli(["register", "--preset", "local", "--dir", await tempDir(), "--dry-run"], az.env);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain("POST /servicePrincipals");
    expect(await az.calls()).toContain(
      `account get-access-token --resource-type ms-graph --output json --tenant ${tenant.tenantId}`,
    );
    await cli(["logout"]);

    // Signed out, --method azure-cli says so and what to run (the stand-in fails as az does).
    const signedOut = await fakeAzureCli(undefined);
    const refused = await cli(["login", "--tenant", tenant.tenantId, "--method", "azure-cli"], signedOut.env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("Please run 'az login'");
    expect(refused.stderr).toContain(`az login --tenant ${tenant.tenantId}`);
  });

  it("prints no token in any output", () => {
    entra().expectNoTokens();
  });
});

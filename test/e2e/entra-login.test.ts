import { spawn } from "node:child_process";
import { chmod, readFile, writeFile } from "node:fs/promises";
import { delimiter, join } from "node:path";
import { PublicClientApplication } from "@azure/msal-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEnvFile } from "../../src/core/env-file.js";
import { msalConfiguration } from "../../src/entra/msal-config.js";
import { REGISTER_GRAPH_SCOPES } from "../../src/entra/tenant-target.js";
import { AZURE_CLI_CLIENT_ID } from "../../src/entra/well-known.js";
import { type DetachedTenant, JWT_PATTERN, startDetachedTenant } from "../helpers/detached-tenant.js";
import { tempDir } from "../helpers/dev-tenant.js";
import { assertBuilt, CLI, REPO_ROOT } from "../helpers/run-cli.js";
import { SignInDriver } from "../helpers/sign-in-driver.js";

/**
 * mcp-entra's Entra path (not the dev-tenant shortcut) without Entra: the built binary signs in to
 * an Entra-compatible endpoint — a dev tenant, reached through MCP_ENTRA_AUTHORITY_HOST and
 * MCP_ENTRA_GRAPH_BASE_URL and trusted the way a user trusts a corporate proxy, with
 * NODE_EXTRA_CA_CERTS set before the process starts.
 */
describe("login to an Entra tenant (built binary, Entra-compatible endpoint)", () => {
  let tenant: DetachedTenant;
  let entraEnv: NodeJS.ProcessEnv;
  let admin: string;
  const outputs: string[] = [];
  const cli = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const result = await tenant.cli(args, { ...entraEnv, ...env });
    outputs.push(result.stdout, result.stderr);
    return result;
  };

  beforeAll(async () => {
    assertBuilt();
    tenant = await startDetachedTenant();
    entraEnv = {
      NODE_EXTRA_CA_CERTS: tenant.caFile,
      MCP_ENTRA_AUTHORITY_HOST: tenant.url,
      MCP_ENTRA_GRAPH_BASE_URL: tenant.url,
    };
    admin = (await tenant.admin.listUsers()).find((user) => user.admin)!.userPrincipalName;
  });
  afterAll(async () => {
    await tenant?.stop();
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

    const child = spawn(
      process.execPath,
      [CLI, "login", "--tenant", tenant.tenantId, "--method", "device-code", "--client-id", clientId],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, MCP_ENTRA_HOME: tenant.home, FORCE_COLOR: "0", ...tenant.env, ...entraEnv },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    const prompt = await new Promise<RegExpMatchArray>((resolve, reject) => {
      child.stderr.on("data", (chunk) => {
        stderr += chunk;
        const match = stderr.match(/open the page (\S+) and enter the code (\S+) to authenticate/);
        if (match) resolve(match);
      });
      child.once("exit", () => reject(new Error(`login ended before showing a code: ${stderr}`)));
    });
    // The device code is shown while the process waits; a person approves it elsewhere.
    expect(prompt[1]).toBe(`${tenant.url}/devicelogin`);
    const approved = await new SignInDriver({ caPem: tenant.caPem, user: admin }).approveDeviceCode(
      prompt[1]!,
      prompt[2]!,
    );
    expect(approved.kind === "page" && approved.step).toBe("device-done");
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    outputs.push(stdout, stderr);
    expect(code, stderr).toBe(0);
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

  it("--method azure-cli reuses the Azure CLI's sign-in (a fake az first on PATH)", async () => {
    // What `az account get-access-token` would hand out: a Graph token for the admin, from the tenant.
    const pca = new PublicClientApplication(
      msalConfiguration(
        { authority: `${tenant.url}/${tenant.tenantId}`, caPems: [tenant.caPem] },
        { clientId: AZURE_CLI_CLIENT_ID },
      ),
    );
    const driver = new SignInDriver({ caPem: tenant.caPem, user: admin });
    let approval: Promise<unknown> | undefined;
    const token = await pca.acquireTokenByDeviceCode({
      scopes: REGISTER_GRAPH_SCOPES,
      deviceCodeCallback: (response) => {
        approval = driver.approveDeviceCode(response.verificationUri, response.userCode);
      },
    });
    await approval;
    const bin = await tempDir("mcp-entra-fake-az-");
    await writeFile(
      join(bin, "token.json"),
      JSON.stringify({
        accessToken: token!.accessToken,
        expiresOn: token!.expiresOn!.toISOString(),
        expires_on: Math.floor(token!.expiresOn!.getTime() / 1000),
        subscription: "00000000-0000-0000-0000-000000000000",
        tenant: tenant.tenantId,
        tokenType: "Bearer",
      }),
    );
    const az = join(bin, "az");
    await writeFile(
      az,
      `#!/bin/sh\necho "$@" >> "${join(bin, "calls.log")}"\ncat "${join(bin, "token.json")}"\n`,
    );
    await chmod(az, 0o755);
    const path = { PATH: `${bin}${delimiter}${process.env.PATH}` };

    const login = await cli(["login", "--tenant", tenant.tenantId, "--method", "azure-cli"], path);
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toContain("with azure-cli");
    const who = await cli(["whoami", "--json"], path);
    expect(JSON.parse(who.stdout)).toMatchObject({
      tenant: { kind: "entra", id: tenant.tenantId },
      principal: { kind: "user", name: admin },
      method: "azure-cli",
    });
    const plan = await cli(["register", "--preset", "local", "--dir", await tempDir(), "--dry-run"], path);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain("POST /servicePrincipals");
    const calls = await readFile(join(bin, "calls.log"), "utf8");
    expect(calls).toContain(
      `account get-access-token --resource-type ms-graph --output json --tenant ${tenant.tenantId}`,
    );
    await cli(["logout"]);
  });

  it("prints no token in any output", () => {
    for (const output of outputs) expect(output).not.toMatch(JWT_PATTERN);
  });
});
